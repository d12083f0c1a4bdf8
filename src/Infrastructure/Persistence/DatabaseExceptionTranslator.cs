using System.Net.Sockets;
using MetricsEngine.Crosscutting.Errors;
using Npgsql;

namespace MetricsEngine.Infrastructure.Persistence;

/// <summary>Any database call whose failure means "the database is not there" becomes a 503.</summary>
internal sealed class DatabaseExceptionTranslator : IExceptionTranslator
{
    public MetricsEngineException? Translate(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (IsUnavailable(current))
            {
                return new DatabaseUnavailableException(exception, IsRetriable(current));
            }
        }

        return null;
    }

    /// <summary>
    /// The connection itself failed (server restarted or shut down, socket dropped, cannot connect
    /// yet), as opposed to a wait that ran out: another attempt on a fresh connection can succeed.
    /// </summary>
    internal static bool IsRetriable(Exception exception) => exception switch
    {
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal)
            || e.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow,
        NpgsqlException e => e.InnerException is IOException or SocketException or EndOfStreamException,
        SocketException => true,
        _ => false,
    };

    internal static bool IsUnavailable(Exception exception) => exception switch
    {
        PostgresException e => e.SqlState.StartsWith("08", StringComparison.Ordinal)
            || e.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || e.SqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.InvalidCatalogName,
        NpgsqlException e => e.IsTransient || e.InnerException is SocketException or TimeoutException,
        SocketException => true,
        _ => false,
    };
}
