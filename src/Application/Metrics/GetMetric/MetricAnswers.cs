using System.Diagnostics;
using MetricsEngine.Application.Common.Interfaces;
using MetricsEngine.Application.Metrics.Parameters;
using MetricsEngine.Crosscutting.Errors;
using MetricsEngine.Crosscutting.Logging;

namespace MetricsEngine.Application.Metrics.GetMetric;

/// <summary>
/// A metric's answer and the stored query it reads (what a change must touch to alter it). This is
/// what <see cref="IMetricCache.GetAnswerAsync"/> keeps per entry: every request the entry serves
/// gets this same answer, so a form the edge derives from <see cref="View"/> (its JSON) is made
/// once per entry with <see cref="Derive{TForm}"/> and dropped with it. When caching is off, each
/// request builds an answer of its own and derives its form again.
/// </summary>
public sealed class MetricAnswer(MetricView view, string queryId)
{
    private readonly Lock _deriving = new();
    private object? _derived;

    public MetricView View { get; } = view;

    public string QueryId { get; } = queryId;

    /// <summary>
    /// The form <paramref name="derive"/> makes of <see cref="View"/>: made by the first call, and
    /// the same one returned to every later call, whichever thread makes it. Callers that arrive
    /// while it is being made wait for it rather than make it again: a fill the cache shares
    /// releases all its waiters at once, and each would otherwise render the same answer.
    /// </summary>
    /// <remarks>
    /// One slot, not one per form: the edge derives exactly one form of an answer (its JSON and that
    /// JSON's entity tag), with the same function for a GET and for a live frame, so the slot does not
    /// remember which function filled it. A caller that asks for a different type is refused rather
    /// than handed another caller's form; a second form would need a slot of its own.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The slot holds a form of another type.</exception>
    public TForm Derive<TForm>(Func<MetricView, TForm> derive)
        where TForm : class
    {
        var form = Volatile.Read(ref _derived) ?? DeriveOnce(derive);
        return form as TForm ?? throw new InvalidOperationException(
            $"This answer already holds a derived {form.GetType().Name}; it has one slot, so it cannot also hold a {typeof(TForm).Name}.");
    }

    private object DeriveOnce<TForm>(Func<MetricView, TForm> derive)
        where TForm : class
    {
        lock (_deriving)
        {
            if (_derived is { } made)
            {
                return made;
            }

            var form = derive(View);
            Volatile.Write(ref _derived, form);
            return form;
        }
    }
}

/// <summary>
/// Answers a metric for a caller or for the server's own subscribers. Three cache levels, each
/// dropped with the metric and its query when a change commits: the definition; the result, per
/// effective argument (so requests that differ only in how they say the same window share one
/// database query); and the finished answer, per filters as asked and day (the answer echoes the
/// filters asked, so two requests share it only when they asked the same values).
/// </summary>
public sealed class MetricAnswers(IUnitOfWork unitOfWork, IQueryExecutor executor, IMetricCache cache, TimeProvider clock)
{
    /// <param name="request">The metric and the filters asked.</param>
    /// <param name="caller">Whose share of the query capacity an uncached run takes (<see cref="ICurrentUser.CallerKey"/>, or <see cref="CallerKeys.Subscribers"/>).</param>
    /// <param name="cancellationToken">Cancels waiting; a shared fill goes on for others.</param>
    public async Task<MetricAnswer> AnswerAsync(GetMetricQuery request, string caller, CancellationToken cancellationToken)
    {
        var definition = await cache.GetDefinitionAsync(request.Id, LoadAsync, cancellationToken)
            ?? throw new NotFoundException("Metric", request.Id);
        var (metric, query) = definition.Value;
        var today = clock.GetUtcToday();

        // "Today" is part of the request: as_of defaults to it, so the answer changes at midnight UTC.
        var built = false;
        var answer = await cache.GetAnswerAsync(
            new AnswerKey(metric.Id, metric.Version, query.Id, request.Parameters, today), AnswerAsync, cancellationToken);
        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag(EngineTracing.CacheTag, built ? "miss" : "hit");
        }

        return answer.Value;

        async Task<MetricDefinition?> LoadAsync(CancellationToken token) =>
            await unitOfWork.Metrics.FindWithQueryAsync(request.Id, token) is { } found
                ? new MetricDefinition(found.Metric, found.Query)
                : null;

        async Task<Cached<MetricAnswer>> AnswerAsync(CancellationToken token)
        {
            built = true;
            var bound = ParameterBinder.Bind(query.Parameters, request.Parameters, today);

            var result = await cache.GetResultAsync(
                new ResultKey(metric.Id, metric.Version, query.Id, bound.Arguments),
                run => executor.ExecuteAsync(query.ParameterisedSql, bound.Arguments, caller, run),
                token);

            // Fresh only as long as both the definition and the rows it was built from.
            var freshUntil = definition.ExpiresAt < result.ExpiresAt ? definition.ExpiresAt : result.ExpiresAt;
            var view = new MetricView(
                metric.Id,
                metric.Title,
                metric.IsEditable,
                bound.States,
                new RowSet(result.Value.Columns, result.Value.Rows, result.Value.Bytes),
                result.Value.Truncated,
                metric.Layouts);
            return new Cached<MetricAnswer>(new MetricAnswer(view, query.Id), freshUntil);
        }
    }
}
