using System.Security.Cryptography;

namespace Hyperspot.IntegrationTests.Support;

/// <summary>Fresh W3C trace and span ids for requests that carry a known <c>traceparent</c>.</summary>
public static class W3C
{
    public static string NewTraceId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewSpanId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static string Traceparent(string traceId, string parentId, bool sampled = true) =>
        $"00-{traceId}-{parentId}-{(sampled ? "01" : "00")}";
}
