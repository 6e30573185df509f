using System.Net;
using Hyperspot.Modules.Examples;

namespace Hyperspot.Modules.Tests.Examples;

/// <summary>Upstream answers are read up to the limit and no further.</summary>
public sealed class BoundedContentTests
{
    [Fact]
    public async Task A_body_within_the_limit_is_read_whole()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[100]) };

        Assert.Equal(100, (await BoundedContent.ReadAsync(response, 100, CancellationToken.None)).Length);
    }

    [Theory]
    [InlineData(10_000, 10_000)]
    [InlineData(10_000, 20_000)]
    [InlineData(0, 5)]
    public async Task A_body_without_a_declared_length_is_read_whole_and_unchanged(int length, int limit)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new MemoryStream(bytes), 1000) };
        response.Content.Headers.ContentLength = null;

        Assert.Equal(bytes, await BoundedContent.ReadAsync(response, limit, CancellationToken.None));
    }

    [Fact]
    public async Task A_body_longer_than_its_declared_length_is_still_held_to_the_limit()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new CountingStream(5_000)) };
        response.Content.Headers.ContentLength = 10;

        var refused = await Assert.ThrowsAsync<ResponseTooLargeException>(() => BoundedContent.ReadAsync(response, 4_096, CancellationToken.None));

        Assert.Contains("longer than", refused.Message);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_unread()
    {
        var body = new CountingStream(1000);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
        response.Content.Headers.ContentLength = 1000;

        var refused = await Assert.ThrowsAsync<ResponseTooLargeException>(() => BoundedContent.DrainAsync(response, 999, CancellationToken.None));

        Assert.Equal("the answer declared 1000 bytes, more than modules.examples.config.max_response_bytes (999 bytes)", refused.Message);
        Assert.Equal(0, body.BytesRead);
    }

    [Fact]
    public async Task An_endless_body_is_read_only_up_to_the_limit()
    {
        var body = new CountingStream(long.MaxValue);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
        response.Content.Headers.ContentLength = null;

        var refused = await Assert.ThrowsAsync<ResponseTooLargeException>(() => BoundedContent.ReadAsync(response, 50_000, CancellationToken.None));

        Assert.Equal("the answer was longer than modules.examples.config.max_response_bytes (50000 bytes); reading stopped there", refused.Message);
        Assert.InRange(body.BytesRead, 50_001, 50_000 + (64 * 1024));
    }

    /// <summary>A body of <c>length</c> zero bytes that counts how much was read.</summary>
    private sealed class CountingStream(long length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - BytesRead);
            Array.Clear(buffer, offset, n);
            BytesRead += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
