using System.Buffers.Binary;
using System.Globalization;

namespace Hyperspot.TestBackend;

/// <summary>
/// The decision of OpenTelemetry's <c>TraceIdRatioBased</c> sampler for a trace id, computed independently of the SDK
/// so that tests can say which of a set of known trace ids must be sampled at a ratio. The rule, as the OpenTelemetry
/// .NET SDK implements it: the first 8 bytes of the trace id, read as a big-endian 64-bit number with the top bit
/// cleared, are sampled when below <c>ratio × long.MaxValue</c> (nothing at ratio 0; the bound is <c>long.MaxValue</c>
/// itself at ratio 1). The decision depends on the trace id alone. (Other SDKs read the last 8 bytes, or the last 7
/// as the newer specification does: their decisions for the same trace id can differ.)
/// </summary>
public static class TraceIdRatioRule
{
    public static bool IsSampled(string traceId, double ratio)
    {
        if (ratio <= 0)
        {
            return false;
        }

        var value = BinaryPrimitives.ReadInt64BigEndian(Convert.FromHexString(traceId.AsSpan(0, 16))) & long.MaxValue;
        var bound = ratio >= 1 ? long.MaxValue : (long)(ratio * long.MaxValue);
        return value < bound;
    }

    /// <summary>
    /// <paramref name="count"/> trace ids spread evenly over the whole range the rule reads: the i-th reads as
    /// <c>(i + 0.5) / count</c> of <c>long.MaxValue</c> in its first 8 bytes, every other one with the top bit set too
    /// (which the rule ignores), and seeded random last 8 bytes. At ratio r exactly <c>r × count</c> of them are sampled
    /// (for r a multiple of <c>1 / count</c>), so a sampler that samples <c>1 - r</c>, or reads the top bit as a sign, is
    /// told apart at once.
    /// </summary>
    public static IReadOnlyList<string> EvenlySpread(int count, int seed = 1)
    {
        var random = new Random(seed);
        var ids = new List<string>(count);
        var low = new byte[8];
        for (var i = 0; i < count; i++)
        {
            var value = (long)((i + 0.5) / count * long.MaxValue);
            var high = i % 2 == 0 ? value : value | long.MinValue;
            random.NextBytes(low);
            ids.Add(high.ToString("x16", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(low));
        }

        return ids;
    }

    /// <summary><paramref name="count"/> seeded random trace ids (never all zero).</summary>
    public static IReadOnlyList<string> Random(int count, int seed = 2)
    {
        var random = new Random(seed);
        var bytes = new byte[16];
        var ids = new List<string>(count);
        while (ids.Count < count)
        {
            random.NextBytes(bytes);
            if (bytes.Any(b => b != 0))
            {
                ids.Add(Convert.ToHexStringLower(bytes));
            }
        }

        return ids;
    }
}
