using Hyperspot.Server.Configuration;
using Hyperspot.Server.Tests.Support;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>
/// What <c>check</c> is fed by mistake: every case is rejected with one-line messages naming the key (or the file),
/// never with an unhandled exception.
/// </summary>
public class MalformedConfigurationTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // malformed YAML: the file, the line and the column
        { "malformed: unclosed flow sequence", "tracing:\n  service_name: [x\n", "config.yaml:3:1: malformed YAML" },
        { "malformed: unclosed quote", "tracing:\n  service_name: \"x\n", "config.yaml:2:17: malformed YAML" },
        { "malformed: duplicate key", "server:\n  port: 1\n  port: 2\n", "config.yaml:3:3: malformed YAML" },
        { "malformed: tab indentation", "server:\n\tport: 1\n", "malformed YAML" },
        { "malformed: unknown anchor", "server:\n  port: *nope\n", "malformed YAML" },
        { "malformed: unclosed flow mapping", "server: {port: 1\n", "malformed YAML" },
        { "malformed: case-only duplicate", "tracing:\n  enabled: true\n  Enabled: false\n", "config.yaml" },
        { "malformed: top-level list", "- server\n- tracing\n", "config.yaml: the top level must be a mapping" },
        { "malformed: top-level scalar", "just some words\n", "config.yaml: the top level must be a mapping" },
        // empty files
        { "empty: nothing", "", "config.yaml: is empty" },
        { "empty: blank lines", "\n\n   \n", "config.yaml: is empty" },
        { "empty: only comments", "# server:\n#   port: 1\n", "config.yaml: is empty" },
        { "empty: only a document marker", "---\n", "config.yaml: is empty" },
        // more than one document: the provider would read only the first
        { "documents: a second one", "server:\n  port: 9999\n---\ntracing:\n  enabled: true\n", "config.yaml:4: a second YAML document starts here, and only the first is read" },
        { "documents: the first one empty", "---\n# nothing yet\n---\nserver:\n  port: 9999\n", "config.yaml:4: a second YAML document" },
        // wrong types
        { "type: port is text", "server:\n  port: abc\n", "server.port: must be a whole number (got 'abc')" },
        { "type: port is fractional", "server:\n  port: 80.5\n", "server.port: must be a whole number (got '80.5')" },
        { "type: port is a list", "server:\n  port: [1, 2]\n", "server.port: must be a single value" },
        { "type: bool is text", "tracing:\n  enabled: maybe\n", "tracing.enabled: must be true or false (got 'maybe')" },
        { "type: yes is not a bool", "modules:\n  examples:\n    enabled: yes\n", "modules.examples.enabled: must be true or false (got 'yes')" },
        { "type: ratio is text", "tracing:\n  sampler:\n    ratio: half\n", "tracing.sampler.ratio: must be a number (got 'half')" },
        { "type: ratio is NaN", "tracing:\n  sampler:\n    ratio: .nan\n", "tracing.sampler.ratio: must be a number" },
        { "type: section is a scalar", "server: 5\n", "server: must be a section of keys (got '5')" },
        { "type: subsection is a scalar", "tracing:\n  exporter: otlp\n", "tracing.exporter: must be a section of keys (got 'otlp')" },
        { "type: list is a mapping", "tracing:\n  http:\n    record_headers: {a: b}\n", "tracing.http.record_headers: must be a list of values" },
        { "type: header is a list", "tracing:\n  exporter:\n    headers:\n      x-key: [a, b]\n", "tracing.exporter.headers.x-key: must be a plain value" },
        { "type: resource value is a section", "tracing:\n  resource:\n    a:\n      b: c\n", "tracing.resource.a: must be a plain value" },
        { "type: module section is a scalar", "modules:\n  examples: off\n", "modules.examples: must be a section of keys (got 'off')" },
        { "type: module config is a scalar", "modules:\n  examples:\n    config: 5\n", "modules.examples.config: must be a section of keys (got '5')" },
        { "type: module option url is a list", "modules:\n  examples:\n    config:\n      external_base_url: [a, b]\n", "modules.examples.config.external_base_url: must be a single value" },
        { "type: endpoint is not a url", "tracing:\n  exporter:\n    endpoint: collector:4317\n", "tracing.exporter.endpoint: must be an absolute http:// or https:// URL (got 'collector:4317')" },
        { "type: module option url is not a url", "modules:\n  examples:\n    config:\n      external_base_url: not-a-url\n", "modules.examples.config.external_base_url: must be an absolute http:// or https:// URL (got 'not-a-url')" },
        { "type: header name with a space", "tracing:\n  http:\n    inject_request_id_header: x request id\n", "tracing.http.inject_request_id_header:" },
        { "type: recorded header with a space", "tracing:\n  http:\n    record_headers: [\"Bearer s3cr3t\"]\n", "tracing.http.record_headers: must be a header name: printable, without spaces or ':' (got 'bearer s3cr3t')" },
        { "type: recorded header with an escape", "tracing:\n  http:\n    record_headers: [\"x-\\e[2Jevil\"]\n", "tracing.http.record_headers: must be a header name: printable, without spaces or ':' (got 'x-\\x1b[2jevil')" },
        { "type: redacted header with a colon", "tracing:\n  http:\n    redact_headers: [\"x-a:b\"]\n", "tracing.http.redact_headers: must be a header name" },
        { "type: port in hexadecimal", "server:\n  port: 0x1F90\n", "server.port: must be a whole number (got '0x1F90')" },
        // out-of-range numbers
        { "range: port too large", "server:\n  port: 70000\n", "server.port: must be between 0 and 65535 (got 70000)" },
        { "range: port negative", "server:\n  port: -1\n", "server.port: must be between 0 and 65535 (got -1)" },
        { "range: port overflows", "server:\n  port: 99999999999999999999\n", "server.port: must be a whole number" },
        { "range: ratio above 1", "tracing:\n  sampler:\n    ratio: 1.5\n", "tracing.sampler.ratio: must be between 0 and 1 (got 1.5)" },
        { "range: ratio below 0", "tracing:\n  sampler:\n    ratio: -0.1\n", "tracing.sampler.ratio: must be between 0 and 1 (got -0.1)" },
        { "range: timeout zero", "tracing:\n  exporter:\n    timeout_ms: 0\n", "tracing.exporter.timeout_ms: must be between 1 and 600000 (got 0)" },
        { "range: queue zero", "tracing:\n  batch:\n    max_queue_size: 0\n", "tracing.batch.max_queue_size: must be between" },
        { "range: batch above queue", "tracing:\n  batch:\n    max_queue_size: 100\n    max_export_batch_size: 200\n", "tracing.batch.max_export_batch_size:" },
        { "range: shutdown timeout negative", "server:\n  shutdown_timeout_ms: -5\n", "server.shutdown_timeout_ms: must be between 0 and 600000 (got -5)" },
        { "range: log size zero", "logging:\n  default:\n    max_size_mb: 0\n", "logging.default.max_size_mb: must be between" },
        // unknown enum values
        { "enum: exporter kind", "tracing:\n  exporter:\n    kind: zipkin\n", "tracing.exporter.kind: unknown value 'zipkin' (accepted: otlp_grpc, otlp_http)" },
        { "enum: sampler strategy", "tracing:\n  sampler:\n    strategy: sometimes\n", "tracing.sampler.strategy: unknown value 'sometimes' (accepted: always_on, always_off, ratio, parentbased_ratio, parentbased_always_on, parentbased_always_off; also traceidratio, parentbased_traceidratio)" },
        { "enum: compression", "tracing:\n  exporter:\n    compression: brotli\n", "tracing.exporter.compression: unknown value 'brotli'" },
        { "enum: console level", "logging:\n  default:\n    console_level: loud\n", "logging.default.console_level: unknown value 'loud'" },
        { "enum: category level", "logging:\n  Microsoft.AspNetCore:\n    file_level: noisy\n", "logging.Microsoft.AspNetCore.file_level: unknown value 'noisy'" },
        { "enum: log format", "logging:\n  default:\n    format: xml\n", "logging.default.format: unknown value 'xml'" },
        // unknown keys
        { "key: misspelled", "tracing:\n  servce_name: api\n", "tracing.servce_name: unknown key (did you mean 'service_name'?)" },
        { "key: unknown section", "databse:\n  url: x\n", "databse: unknown section" },
        { "key: unknown module", "modules:\n  billing:\n    enabled: true\n", "modules.billing: unknown module" },
        { "key: unknown module option", "modules:\n  examples:\n    config:\n      timeout: 5\n", "modules.examples.config.timeout: unknown key" },
        { "key: config for a module that takes none", "modules:\n  system:\n    config:\n      verbose: true\n", "modules.system.config.verbose: unknown key (the system module takes no configuration)" },
        { "key: list given as keys", "tracing:\n  sampler: [always_on]\n", "tracing.sampler.0: unknown key" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_rejects_it_with_a_one_line_message_naming_the_key_or_file(string name, string yaml, string expected)
    {
        IReadOnlyList<string> errors;
        try
        {
            errors = Config.Errors(yaml);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{name}: unhandled {ex.GetType().Name}: {ex.Message}");
        }

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        AssertOneLineEach(errors);
    }

    [Theory]
    [InlineData("---\nserver:\n  port: 9999\n")]
    [InlineData("server:\n  port: 9999\n---\n")]
    [InlineData("---\nserver:\n  port: 9999\n...\n---\n# the end\n")]
    [InlineData("server:\n  port: 9999\n---\n~\n")]
    public void One_document_may_have_markers_around_it_and_empty_documents_after_it(string yaml)
    {
        Assert.Equal(9999, Config.Read(yaml).Server.Port);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, 0x00, 0x73, 0x00, 0x65 }, true)]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03, 0x0A }, true)]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 }, true)]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, 0x3A, 0x3A, 0x3A, 0x0A }, false)]
    public void Binary_garbage_is_rejected_without_an_unhandled_exception(byte[] content, bool namesTheFile)
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "garbage.yaml");
        File.WriteAllBytes(path, content);

        var exception = Assert.Throws<ConfigurationException>(() => HyperspotSettings.Read(ConfigurationLoader.Load(path, [], Config.Environment(null)), Hyperspot.Modules.ShippedModules.All));

        AssertOneLineEach(exception.Errors);
        if (namesTheFile)
        {
            Assert.Contains(exception.Errors, e => e.Contains("garbage.yaml"));
        }
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_the_path()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "nowhere", "missing.yaml");

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(path, [], Config.Environment(null))).Errors);

        Assert.Contains(path, error);
        Assert.Contains("not found", error);
    }

    [Fact]
    public void A_directory_given_as_the_file_is_an_error_naming_it()
    {
        using var directory = new TempDirectory();

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(directory.Path, [], Config.Environment(null))).Errors);

        Assert.Contains(directory.Path, error);
        Assert.Contains("directory", error);
    }

    /// <summary>
    /// Random configurations built from the real keys, with valid and invalid values and misspelled keys, some of
    /// them then corrupted: each one is either accepted, or rejected with one-line errors; when it was not
    /// corrupted, the errors name exactly the keys that were made bad.
    /// </summary>
    [Fact]
    public void Random_configurations_are_accepted_or_rejected_naming_exactly_the_bad_keys()
    {
        const int Seed = 5150;
        var random = new Random(Seed);
        for (var round = 0; round < 200; round++)
        {
            var (yaml, badKeys) = RandomConfiguration.Generate(random);
            var corrupted = random.Next(5) == 0;
            var text = corrupted ? RandomConfiguration.Corrupt(yaml, random) : yaml;
            var context = $"seed {Seed}, round {round}:\n{text}";
            try
            {
                Config.Read(text);
                if (!corrupted)
                {
                    Assert.True(badKeys.Count == 0, $"accepted although {string.Join(", ", badKeys)} are bad; {context}");
                }
            }
            catch (ConfigurationException ex)
            {
                AssertOneLineEach(ex.Errors);
                if (!corrupted)
                {
                    foreach (var key in badKeys)
                    {
                        Assert.True(ex.Errors.Any(e => e.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)), $"no error names {key}: [{string.Join(" | ", ex.Errors)}]; {context}");
                    }

                    foreach (var error in ex.Errors)
                    {
                        Assert.True(badKeys.Any(k => error.StartsWith(k + ":", StringComparison.OrdinalIgnoreCase)), $"unexpected error '{error}'; {context}");
                    }
                }
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"unhandled {ex.GetType().Name}: {ex.Message}; {context}");
            }
        }
    }

    private static void AssertOneLineEach(IEnumerable<string> errors)
    {
        foreach (var error in errors)
        {
            Assert.False(string.IsNullOrWhiteSpace(error));
            Assert.DoesNotContain('\n', error);
            Assert.DoesNotContain('\r', error);
            Assert.DoesNotContain("   at ", error);
            Assert.DoesNotContain("Exception", error);
        }
    }
}
