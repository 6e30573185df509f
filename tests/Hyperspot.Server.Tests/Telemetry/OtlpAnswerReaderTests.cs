using System.IO.Compression;
using System.Text;
using Hyperspot.Server.Telemetry.Diagnosis;

namespace Hyperspot.Server.Tests.Telemetry;

public sealed class OtlpAnswerReaderTests
{
    /// <summary>An <c>ExportTraceServiceResponse</c> with <c>partial_success { rejected_spans, error_message }</c>.</summary>
    internal static byte[] PartialSuccess(long rejected, string? message)
    {
        var inner = new List<byte>();
        if (rejected > 0)
        {
            inner.Add(0x08);
            inner.AddRange(Varint((ulong)rejected));
        }

        if (message is not null)
        {
            var text = Encoding.UTF8.GetBytes(message);
            inner.Add(0x12);
            inner.AddRange(Varint((ulong)text.Length));
            inner.AddRange(text);
        }

        return [0x0A, .. Varint((ulong)inner.Count), .. inner];
    }

    internal static byte[] GrpcFrame(byte[] message, bool gzip = false)
    {
        var payload = message;
        if (gzip)
        {
            using var output = new MemoryStream();
            using (var zip = new GZipStream(output, CompressionLevel.SmallestSize))
            {
                zip.Write(message);
            }

            payload = output.ToArray();
        }

        return [(byte)(gzip ? 1 : 0), (byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
    }

    private static IEnumerable<byte> Varint(ulong value)
    {
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            yield return value == 0 ? b : (byte)(b | 0x80);
        }
        while (value != 0);
    }

    [Fact]
    public void Reads_how_many_items_were_rejected_and_why()
    {
        Assert.Equal((300L, "span 7 has no name"), OtlpAnswerReader.ReadPartialSuccess(PartialSuccess(300, "span 7 has no name")));
        Assert.Equal((0L, "deprecated attribute"), OtlpAnswerReader.ReadPartialSuccess(PartialSuccess(0, "deprecated attribute")));
    }

    [Fact]
    public void An_empty_answer_is_a_full_success()
    {
        Assert.Equal((0L, (string?)null), OtlpAnswerReader.ReadPartialSuccess([]));
        Assert.Equal((0L, (string?)null), OtlpAnswerReader.ReadPartialSuccess([0x0A, 0x00])); // partial_success present but empty
    }

    [Fact]
    public void Skips_fields_it_does_not_know()
    {
        // field 9 (varint), field 10 (fixed64), field 11 (fixed32) before partial_success
        byte[] answer = [0x48, 0x96, 0x01, 0x51, 1, 2, 3, 4, 5, 6, 7, 8, 0x5D, 1, 2, 3, 4, .. PartialSuccess(2, "x")];
        Assert.Equal((2L, "x"), OtlpAnswerReader.ReadPartialSuccess(answer));
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x7F })] // a length past the end
    [InlineData(new byte[] { 0x0A, 0x02, 0x08, 0xFF })] // a varint cut short
    [InlineData(new byte[] { 0x0B, 0x0C })] // a group: not read
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })] // a tag too long
    public void Malformed_answers_read_as_nothing_rather_than_failing(byte[] answer)
    {
        Assert.Equal((0L, (string?)null), OtlpAnswerReader.ReadPartialSuccess(answer));
        Assert.Null(OtlpAnswerReader.ReadStatusMessage(answer));
    }

    [Fact]
    public void Reads_the_message_of_a_google_rpc_status()
    {
        var text = Encoding.UTF8.GetBytes("missing service.name");
        byte[] status = [0x08, 0x03, 0x12, (byte)text.Length, .. text];
        Assert.Equal("missing service.name", OtlpAnswerReader.ReadStatusMessage(status));
    }

    [Fact]
    public void Unwraps_a_grpc_frame_plain_or_gzip_compressed()
    {
        var message = PartialSuccess(1, "too old");
        Assert.Equal(message, OtlpAnswerReader.GrpcMessage(GrpcFrame(message), null).ToArray());
        Assert.Equal(message, OtlpAnswerReader.GrpcMessage(GrpcFrame(message, gzip: true), "gzip").ToArray());
        Assert.True(OtlpAnswerReader.GrpcMessage(GrpcFrame(message, gzip: true), "snappy").IsEmpty);
        Assert.True(OtlpAnswerReader.GrpcMessage(GrpcFrame(message)[..6], null).IsEmpty); // the frame is cut short
    }

    [Fact]
    public void A_compressed_answer_is_inflated_only_up_to_its_limit()
    {
        var bomb = GrpcFrame(new byte[OtlpAnswerReader.MaxMessageBytes * 16], gzip: true);
        Assert.True(bomb.Length < 10_000);
        Assert.True(OtlpAnswerReader.GrpcMessage(bomb, "gzip").IsEmpty);
    }

    [Fact]
    public void Text_is_bounded()
    {
        var text = OtlpAnswerReader.Text(Encoding.UTF8.GetBytes(new string('x', 50_000)));
        Assert.Equal(OtlpAnswerReader.MaxTextLength + 1, text.Length);
        Assert.EndsWith("…", text);
    }
}
