using System.Globalization;
using MetricsEngine.Application.Common.Interfaces;
using Npgsql;

namespace MetricsEngine.Infrastructure.Querying;

/// <summary>
/// Reads a result one value at a time (the reader is sequential, so Npgsql never buffers a whole
/// row) and counts what the rows take in memory. Before a value is materialised its size on the
/// wire bounds what it will take, so a result past <see cref="QueryOptions.MaxResultBytes"/> is
/// refused having held at most that much.
/// </summary>
internal static class ResultReader
{
    /// <summary>An object's header and method table pointer, as the runtime lays out any object.</summary>
    private const int ObjectOverhead = 24;

    public static async Task<QueryResult> ReadAsync(NpgsqlDataReader reader, QueryOptions limits, CancellationToken cancellationToken)
    {
        var columns = UniqueColumnNames(reader);
        var types = Enumerable.Range(0, reader.FieldCount).Select(reader.GetDataTypeName).ToArray();
        var readers = types.Select(ValueReaders.For).ToArray();
        var fixedSize = types.Select(IsFixedSize).ToArray();

        // Memory per byte on the wire, at most: UTF-8 text becomes UTF-16; an array or record of
        // small items becomes an object per item.
        var perWireByte = types.Select(t => t.EndsWith("[]", StringComparison.Ordinal) || t == "record" ? 8 : 2).ToArray();
        var rows = new List<object?[]>();
        var bytes = (long)ObjectOverhead + columns.Sum(c => ObjectOverhead + (2L * c.Length));
        var truncated = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == limits.MaxRows)
            {
                truncated = true;
                break;
            }

            var row = new object?[columns.Length];
            bytes += ObjectOverhead + (8L * (columns.Length + 1));
            for (var i = 0; i < row.Length; i++)
            {
                if (await reader.IsDBNullAsync(i, cancellationToken))
                {
                    continue;
                }

                var bound = fixedSize[i] ? 32 : ObjectOverhead + (perWireByte[i] * reader.GetBytes(i, 0, null, 0, 0));
                if (bytes + bound > limits.MaxResultBytes)
                {
                    throw new ResultTooLargeException();
                }

                var value = readers[i](reader, i);
                row[i] = value;
                bytes += SizeOf(value);
            }

            if (bytes > limits.MaxResultBytes)
            {
                throw new ResultTooLargeException();
            }

            rows.Add(row);
        }

        return new QueryResult(columns, rows, truncated, bytes);
    }

    /// <summary>
    /// What a value read from a result takes in memory: a string two bytes a character, a boxed
    /// number or date one small object, an array its elements.
    /// </summary>
    public static long SizeOf(object? value) => value switch
    {
        null => 0,
        string text => ObjectOverhead + (2L * text.Length),
        decimal or Guid => ObjectOverhead + 16,
        object?[] items => ObjectOverhead + items.Sum(item => 8 + SizeOf(item)),
        Array array when array.GetType().GetElementType() is { IsPrimitive: true } => ObjectOverhead + Buffer.ByteLength(array),
        Array array => ObjectOverhead + array.Cast<object?>().Sum(item => 8 + SizeOf(item)),
        _ => ObjectOverhead + 8,
    };

    private static bool IsFixedSize(string dataTypeName) => dataTypeName is
        "smallint" or "integer" or "bigint" or "real" or "double precision" or "boolean" or "date" or "uuid"
        or "timestamp without time zone" or "timestamp with time zone" or "time without time zone" or "time with time zone" or "interval";

    // JSON objects need distinct keys: a second "total" column becomes "total_2".
    private static string[] UniqueColumnNames(NpgsqlDataReader reader)
    {
        var names = new string[reader.FieldCount];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var name = reader.GetName(i);
            var candidate = name;
            for (var n = 2; !seen.Add(candidate); n++)
            {
                candidate = $"{name}_{n.ToString(CultureInfo.InvariantCulture)}";
            }

            names[i] = candidate;
        }

        return names;
    }
}

/// <summary>The result passed the byte limit; the executor cancels the statement and refuses it.</summary>
internal sealed class ResultTooLargeException : Exception
{
    public ResultTooLargeException()
        : base("The result passed the size limit.")
    {
    }

    public ResultTooLargeException(string message)
        : base(message)
    {
    }

    public ResultTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
