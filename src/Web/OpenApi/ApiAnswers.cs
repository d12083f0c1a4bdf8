using Microsoft.AspNetCore.Mvc;

namespace MetricsEngine.Web.OpenApi;

/// <summary>An answer an operation gives, in words for the document.</summary>
public sealed record AnswerDescription(int Status, string Description);

/// <summary>A header an operation sends with one of its answers.</summary>
public sealed record AnswerHeader(int Status, ApiHeader Header);

/// <summary>A request header an operation reads.</summary>
public sealed record ReadsRequestHeader(ApiHeader Header);

/// <summary>A problem answer whose body carries more than the shared problem members.</summary>
public sealed record AnswerProblemSchema(int Status, string SchemaId);

/// <summary>
/// What endpoints declare for the document beyond their result types. The conventions in
/// <see cref="ApiConventions"/> add what every operation of a kind answers (401, 403, 429, 400 for
/// parameters and bodies, 413, 415, 500, 503 for operations that use the database), so an endpoint
/// declares only what is its own.
/// </summary>
public static class ApiAnswers
{
    /// <summary>
    /// The operation answers <paramref name="status"/> when <paramref name="when"/>. A status of 400
    /// or more is a problem document (application/problem+json); a success status must also come
    /// from the handler's result type.
    /// </summary>
    public static TBuilder Answers<TBuilder>(this TBuilder builder, int status, string when)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(status >= 400
            ? [new AnswerDescription(status, when), new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"])]
            : [new AnswerDescription(status, when)]);

    /// <summary>The answer <paramref name="status"/> always carries <paramref name="header"/>.</summary>
    public static TBuilder AnswersHeader<TBuilder>(this TBuilder builder, int status, ApiHeader header)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnswerHeader(status, header));

    /// <summary>The operation reads the request header <paramref name="header"/> (always optional).</summary>
    public static TBuilder ReadsHeader<TBuilder>(this TBuilder builder, ApiHeader header)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ReadsRequestHeader(header));

    /// <summary>The problem answered with <paramref name="status"/> has the schema <paramref name="schemaId"/> (one of <see cref="ApiSchemas.Additions"/>).</summary>
    public static TBuilder AnswersProblemSchema<TBuilder>(this TBuilder builder, int status, string schemaId)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AnswerProblemSchema(status, schemaId));

    /// <summary>The operation reads or writes the database: 503 with Retry-After when it cannot be reached.</summary>
    public static TBuilder UsesDatabase<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new UsesDatabaseMetadata());
}

/// <summary>Marks an operation that answers 503 when the database is unavailable.</summary>
public sealed record UsesDatabaseMetadata;
