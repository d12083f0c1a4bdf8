using MetricsEngine.Application.Common.Messaging;

namespace MetricsEngine.Application.Imports.GetLatestImport;

/// <summary>The most recent (non dry-run) import: counts per kind and every issue it reported.</summary>
public sealed record GetLatestImportQuery : IQuery<ImportReport>;
