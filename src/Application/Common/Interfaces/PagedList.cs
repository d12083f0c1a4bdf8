namespace MetricsEngine.Application.Common.Interfaces;

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
