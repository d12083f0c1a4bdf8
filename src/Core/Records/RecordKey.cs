using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace MetricsEngine.Core.Records;

/// <summary>
/// Idempotency keys for records. An imported record's key is derived from its content and its
/// occurrence number among identical rows of the same file: re-importing the file yields the same
/// keys (nothing is added twice) while two identical rows stay two events.
/// </summary>
public static class RecordKey
{
    public static ContentHash HashContent(string queryId, DateTime dateUtc, Measures measures)
    {
        // A JSON array keeps fields apart and null distinct from any text, whatever the text holds.
        string?[] fields =
        [
            queryId,
            dateUtc.ToString("O", CultureInfo.InvariantCulture),
            Canonical(measures.Obsolescence),
            Canonical(measures.ObsolescenceVal),
            measures.PartsFlagged?.ToString(CultureInfo.InvariantCulture),
            measures.AlertType,
            measures.AlertCategory,
        ];
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(fields), hash);
        return new ContentHash(new Guid(hash[..16]));
    }

    /// <summary>The key of the <paramref name="occurrence"/>-th (1-based) row with this content.</summary>
    public static Guid ForImported(ContentHash content, int occurrence)
    {
        Span<byte> input = stackalloc byte[16 + sizeof(int)];
        content.Value.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input[16..], occurrence);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        return new Guid(hash[..16]);
    }

    // G29 drops trailing zeros, so 1.5 and 1.50 are the same measurement.
    private static string? Canonical(decimal? value) => value?.ToString("G29", CultureInfo.InvariantCulture);
}

/// <summary>
/// 128 bits of a SHA-256 of a record's content: a plain value, so counting occurrences of a
/// million distinct rows costs tens of megabytes, not hundreds.
/// </summary>
public readonly record struct ContentHash(Guid Value);
