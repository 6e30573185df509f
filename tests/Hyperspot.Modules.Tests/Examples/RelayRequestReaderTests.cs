using System.Text;
using Hyperspot.Modules.Examples;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Hyperspot.Modules.Tests.Examples;

/// <summary>The relay body is checked whole, before any call: each refusal has its status and names the problem.</summary>
public sealed class RelayRequestReaderTests
{
    private static readonly RelayRequestReader Reader = new(Options.Create(new ExamplesOptions { RelayMaxCalls = 3, RelayMaxBodyBytes = 2048 }), new RelayHosts(ExamplesOptions.LoopbackHosts));

    [Theory]
    [InlineData("[null]", "[0] must be an object {\"url\": ..., \"arguments\": ...}; got null.")]
    [InlineData("[1]", "[0] must be an object {\"url\": ..., \"arguments\": ...}; got a number.")]
    [InlineData("[{\"url\":\"http://127.0.0.1/a\",\"arguments\":1},{\"url\":[],\"arguments\":1}]", "[1].url must be a string; got an array.")]
    [InlineData("[{\"arguments\":1}]", "[0].url is missing.")]
    [InlineData("[{\"url\":\"http://127.0.0.1/a\"}]", "[0].arguments is missing (use null to send a JSON null).")]
    [InlineData("[{\"url\":\"http://127.0.0.1/a\",\"url\":\"http://127.0.0.1/b\",\"arguments\":1}]", "[0] has \"url\" twice.")]
    [InlineData("[{\"url\":\"http://127.0.0.1/a\",\"arguments\":1,\"x\\u0007\":1}]", "[0] has an unknown property \"x?\" (expected url and arguments).")]
    [InlineData("[{\"url\":\"ftp://127.0.0.1/a\",\"arguments\":1}]", "[0].url must be an absolute http:// or https:// URL.")]
    [InlineData("[{\"url\":\"/relative\",\"arguments\":1}]", "[0].url must be an absolute http:// or https:// URL.")]
    [InlineData("[{\"url\":\"http://example.com/\",\"arguments\":1}]", "[0].url: host 'example.com' is not in modules.examples.config.relay_allowed_hosts.")]
    [InlineData("{}", "The body must be a JSON array of {\"url\": \"http://...\", \"arguments\": <any JSON>}; got an object.")]
    [InlineData("", "The body is empty; it must be a JSON array of {\"url\": \"http://...\", \"arguments\": <any JSON>}.")]
    [InlineData("[{\"url\":", "The body is not valid JSON (line 1, byte 9).")]
    [InlineData("[1,]", "The body is not valid JSON (line 1, byte 4).")]
    [InlineData("[1,2,3,4]", "The body asks for 4 calls; modules.examples.config.relay_max_calls allows at most 3.")]
    public async Task Bad_bodies_are_400_naming_the_problem(string body, string detail)
    {
        var result = await ReadAsync("application/json", body);

        Assert.Equal(StatusCodes.Status400BadRequest, result.Status);
        Assert.Equal(detail, result.Detail);
    }

    [Fact]
    public async Task Nesting_is_allowed_up_to_32_levels()
    {
        var ok = await ReadAsync("application/json", $"[{{\"url\":\"http://[::1]:8/a\",\"arguments\":{new string('[', 30)}{new string(']', 30)}}}]");
        var deep = await ReadAsync("application/json", new string('[', 33) + new string(']', 33));

        Assert.True(ok.IsAccepted, ok.Detail);
        Assert.Equal("The body is nested deeper than 32 levels (at byte 32).", deep.Detail);
    }

    [Theory]
    [InlineData("text/plain", "The body must be application/json (content type: 'text/plain').")]
    [InlineData(null, "The body must be application/json (content type: none).")]
    public async Task Other_content_types_are_415(string? contentType, string detail)
    {
        var result = await ReadAsync(contentType, "[]");

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, result.Status);
        Assert.Equal(detail, result.Detail);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bodies_over_the_limit_are_413_with_or_without_a_length(bool declareLength)
    {
        var result = await ReadAsync("application/json", "[" + new string(' ', 3000) + "]", declareLength);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, result.Status);
        Assert.Equal("The body is larger than modules.examples.config.relay_max_body_bytes (2048 bytes).", result.Detail);
    }

    [Fact]
    public async Task A_good_body_gives_its_calls_in_order()
    {
        var result = await ReadAsync("application/json; charset=utf-8", "[{\"url\":\"http://localhost:9/a\",\"arguments\":{\"q\":1}},{\"arguments\":null,\"url\":\"http://LOCALHOST:9/b\"}]");

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(["http://localhost:9/a {\"q\":1}", "http://localhost:9/b null"], result.Calls.Select(c => $"{c.Url} {c.Arguments.GetRawText()}"));
    }

    private static Task<RelayRequest> ReadAsync(string? contentType, string body, bool declareLength = true)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.ContentLength = declareLength ? bytes.Length : null;
        return Reader.ReadAsync(context.Request, CancellationToken.None);
    }
}
