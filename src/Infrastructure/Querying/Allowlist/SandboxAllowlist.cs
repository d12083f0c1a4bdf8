namespace MetricsEngine.Infrastructure.Querying.Allowlist;

/// <summary>
/// Everything stored SQL may use, in one place: what a dashboard query needs and nothing else
/// (docs/adr/sandbox-allowlist.md explains the choices). Names are PostgreSQL's own spelling,
/// resolved on the server (<c>to_regprocedure</c>, <c>to_regtype</c>), so a signature a server
/// version lacks is simply absent. Anything not listed here is refused when SQL is saved and before a
/// stored query's first run, named as PostgreSQL resolved it.
/// </summary>
internal static class SandboxAllowlist
{
    /// <summary>The one relation stored SQL may read (its own CTEs and subqueries aside).</summary>
    public const string MetricsView = "query_surface.metrics";

    /// <summary>
    /// Value types a query may compute with, plus their arrays (for <c>IN (...)</c> lists). Left out
    /// on purpose: the <c>reg*</c> types, whose input and output read the catalogs; <c>oid</c>,
    /// <c>name</c>, <c>bytea</c>, <c>xml</c> and every other type nothing on a dashboard needs.
    /// </summary>
    public static readonly IReadOnlyList<string> Types =
    [
        "boolean", "smallint", "integer", "bigint", "numeric", "real", "double precision",
        "text", "character varying", "character",
        "date", "time without time zone", "time with time zone",
        "timestamp without time zone", "timestamp with time zone", "interval",
        "uuid", "json", "jsonb",
        "record",   // ROW(...) and whole-row references
        "unknown",  // an untyped literal before it is coerced
    ];

    /// <summary>Pseudo-types an operator's or function's declaration may use; the actual types are checked above.</summary>
    public static readonly IReadOnlyList<string> PolymorphicTypes =
    [
        "\"any\"", "anyelement", "anynonarray", "anyarray", "anycompatible", "anycompatiblearray", "anycompatiblenonarray",
    ];

    /// <summary>
    /// Operators by name, allowed between the <see cref="Types"/> above: comparison, arithmetic,
    /// concatenation and pattern matching (<c>LIKE</c> is <c>~~</c>, <c>ILIKE</c> is <c>~~*</c>).
    /// </summary>
    public static readonly IReadOnlyList<string> OperatorNames =
    [
        "=", "<>", "<", "<=", ">", ">=",
        "+", "-", "*", "/", "%", "^", "|/", "@",
        "||",
        "~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*",
    ];

    /// <summary>
    /// Functions, aggregates and window functions by signature (<c>regprocedure</c> text). Not
    /// here, by design: set-returning functions (generate_series), anything that sleeps, reads
    /// the clock (now, clock_timestamp, one-argument age), runs SQL from a string (query_to_xml),
    /// has a side effect (large objects, advisory locks, set_config, sequences, notifications,
    /// signalling other sessions), reads files, catalogs or server facts (version), or can build a
    /// huge value from a small one (repeat, lpad, factorial). Casts between the allowed types are
    /// allowed by rule (their pg_cast function), and so are the in_range functions window frames
    /// with an offset use.
    /// </summary>
    public static readonly IReadOnlyList<string> Functions =
    [
        // Aggregates
        "count()", "count(\"any\")",
        "sum(smallint)", "sum(integer)", "sum(bigint)", "sum(numeric)", "sum(real)", "sum(double precision)", "sum(interval)",
        "avg(smallint)", "avg(integer)", "avg(bigint)", "avg(numeric)", "avg(real)", "avg(double precision)", "avg(interval)",
        "min(smallint)", "min(integer)", "min(bigint)", "min(numeric)", "min(real)", "min(double precision)", "min(text)", "min(character)",
        "min(date)", "min(time without time zone)", "min(time with time zone)", "min(timestamp without time zone)", "min(timestamp with time zone)", "min(interval)",
        "max(smallint)", "max(integer)", "max(bigint)", "max(numeric)", "max(real)", "max(double precision)", "max(text)", "max(character)",
        "max(date)", "max(time without time zone)", "max(time with time zone)", "max(timestamp without time zone)", "max(timestamp with time zone)", "max(interval)",
        "stddev(smallint)", "stddev(integer)", "stddev(bigint)", "stddev(numeric)", "stddev(real)", "stddev(double precision)",
        "stddev_pop(smallint)", "stddev_pop(integer)", "stddev_pop(bigint)", "stddev_pop(numeric)", "stddev_pop(real)", "stddev_pop(double precision)",
        "stddev_samp(smallint)", "stddev_samp(integer)", "stddev_samp(bigint)", "stddev_samp(numeric)", "stddev_samp(real)", "stddev_samp(double precision)",
        "variance(smallint)", "variance(integer)", "variance(bigint)", "variance(numeric)", "variance(real)", "variance(double precision)",
        "var_pop(smallint)", "var_pop(integer)", "var_pop(bigint)", "var_pop(numeric)", "var_pop(real)", "var_pop(double precision)",
        "var_samp(smallint)", "var_samp(integer)", "var_samp(bigint)", "var_samp(numeric)", "var_samp(real)", "var_samp(double precision)",
        "percentile_cont(double precision,double precision)", "percentile_cont(double precision,interval)",
        "percentile_disc(double precision,anyelement)", "mode(anyelement)",
        "bool_and(boolean)", "bool_or(boolean)", "every(boolean)", "string_agg(text,text)",
        "corr(double precision,double precision)", "covar_pop(double precision,double precision)", "covar_samp(double precision,double precision)",
        "regr_slope(double precision,double precision)", "regr_intercept(double precision,double precision)",
        "regr_r2(double precision,double precision)", "regr_count(double precision,double precision)",

        // Window functions
        "row_number()", "rank()", "dense_rank()", "percent_rank()", "cume_dist()", "ntile(integer)",
        "lag(anyelement)", "lag(anyelement,integer)", "lag(anycompatible,integer,anycompatible)",
        "lead(anyelement)", "lead(anyelement,integer)", "lead(anycompatible,integer,anycompatible)",
        "first_value(anyelement)", "last_value(anyelement)", "nth_value(anyelement,integer)",

        // Dates and times (the time comes from as_of, never from the clock)
        "date_trunc(text,timestamp without time zone)", "date_trunc(text,timestamp with time zone)",
        "date_trunc(text,timestamp with time zone,text)", "date_trunc(text,interval)",
        "date_part(text,date)", "date_part(text,timestamp without time zone)", "date_part(text,timestamp with time zone)",
        "date_part(text,interval)", "date_part(text,time without time zone)", "date_part(text,time with time zone)",
        "\"extract\"(text,date)", "\"extract\"(text,timestamp without time zone)", "\"extract\"(text,timestamp with time zone)",
        "\"extract\"(text,interval)", "\"extract\"(text,time without time zone)", "\"extract\"(text,time with time zone)",
        "make_date(integer,integer,integer)", "make_time(integer,integer,double precision)",
        "make_timestamp(integer,integer,integer,integer,integer,double precision)",
        "make_interval(integer,integer,integer,integer,integer,integer,double precision)",
        "age(timestamp without time zone,timestamp without time zone)", "age(timestamp with time zone,timestamp with time zone)",
        "date_bin(interval,timestamp without time zone,timestamp without time zone)",
        "date_bin(interval,timestamp with time zone,timestamp with time zone)",
        "justify_days(interval)", "justify_hours(interval)", "justify_interval(interval)",
        "isfinite(date)", "isfinite(timestamp without time zone)", "isfinite(timestamp with time zone)", "isfinite(interval)",
        "to_char(timestamp without time zone,text)", "to_char(timestamp with time zone,text)", "to_char(interval,text)",
        "to_char(integer,text)", "to_char(bigint,text)", "to_char(numeric,text)", "to_char(real,text)", "to_char(double precision,text)",
        "to_date(text,text)", "to_timestamp(text,text)", "to_timestamp(double precision)", "to_number(text,text)",

        // Text
        "lower(text)", "upper(text)", "initcap(text)",
        "length(text)", "length(character)", "char_length(text)", "char_length(character)",
        "character_length(text)", "character_length(character)", "octet_length(text)", "octet_length(character)",
        "substr(text,integer)", "substr(text,integer,integer)",
        "\"substring\"(text,integer)", "\"substring\"(text,integer,integer)", "\"substring\"(text,text)", "\"substring\"(text,text,text)",
        "\"left\"(text,integer)", "\"right\"(text,integer)",
        "btrim(text)", "btrim(text,text)", "ltrim(text)", "ltrim(text,text)", "rtrim(text)", "rtrim(text,text)",
        "replace(text,text,text)", "translate(text,text,text)", "reverse(text)",
        "concat(\"any\")", "concat_ws(text,\"any\")",
        "strpos(text,text)", "\"position\"(text,text)", "split_part(text,text,integer)", "starts_with(text,text)",

        // Numbers
        "abs(smallint)", "abs(integer)", "abs(bigint)", "abs(numeric)", "abs(real)", "abs(double precision)",
        "round(numeric)", "round(numeric,integer)", "round(double precision)",
        "trunc(numeric)", "trunc(numeric,integer)", "trunc(double precision)",
        "ceil(numeric)", "ceil(double precision)", "ceiling(numeric)", "ceiling(double precision)",
        "floor(numeric)", "floor(double precision)", "sign(numeric)", "sign(double precision)",
        "sqrt(numeric)", "sqrt(double precision)", "cbrt(double precision)",
        "power(numeric,numeric)", "power(double precision,double precision)",
        "exp(numeric)", "exp(double precision)", "ln(numeric)", "ln(double precision)",
        "log(numeric)", "log(double precision)", "log(numeric,numeric)", "log10(numeric)", "log10(double precision)",
        "mod(smallint,smallint)", "mod(integer,integer)", "mod(bigint,bigint)", "mod(numeric,numeric)", "div(numeric,numeric)",
        "width_bucket(numeric,numeric,numeric,integer)", "width_bucket(double precision,double precision,double precision,integer)",
        "scale(numeric)", "pi()", "degrees(double precision)", "radians(double precision)",
        "num_nulls(\"any\")", "num_nonnulls(\"any\")",
    ];
}
