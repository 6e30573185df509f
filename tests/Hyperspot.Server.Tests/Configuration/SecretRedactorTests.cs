using Hyperspot.Server.Configuration;

namespace Hyperspot.Server.Tests.Configuration;

/// <summary>What counts as a secret, and how URL credentials and query values are masked in any text.</summary>
public sealed class SecretRedactorTests
{
    private const string Mask = SecretRedactor.Mask;

    [Theory]
    [InlineData("tracing.exporter.headers", true)]
    [InlineData("tracing.exporter.headers.x-tenant", true)]
    [InlineData("tracing.resource.auth.token.id", true)]
    [InlineData("tracing.resource.secret.value", true)]
    [InlineData("tracing.resource.service.version", false)]
    [InlineData("modules.vault.config.secret.value", true)]
    [InlineData("modules.vault.config.api_key", true)]
    [InlineData("modules.tokens.config.hosts", false)]
    [InlineData("logging.MyApp.TokenService.file_level", false)]
    [InlineData("tracing.exporter.endpoint", false)]
    [InlineData("server.port", false)]
    public void A_path_is_secret_when_any_key_below_the_section_names_a_secret(string path, bool secret)
    {
        Assert.Equal(secret, SecretRedactor.IsSecretPath(path));
    }

    [Theory]
    [InlineData("modules.auth.config.password_policy.min_length", false)]
    [InlineData("modules.auth.config.pin_secret", true)]
    [InlineData("tracing.exporter.headers.x-count", true)]
    public void A_number_is_secret_only_under_its_own_name(string path, bool secret)
    {
        Assert.Equal(secret, SecretRedactor.IsSecretLeaf(path));
    }

    [Theory]
    [InlineData("got 'http://user:pass-XYZ@127.0.0.1:1'", "got 'http://" + Mask + "@127.0.0.1:1'")]
    [InlineData("got 'http://user:pa/ss-XYZ@127.0.0.1:1'", "got 'http://" + Mask + "@127.0.0.1:1'")]
    [InlineData("got 'http://user:p@ss-XYZ@127.0.0.1:1'", "got 'http://" + Mask + "@127.0.0.1:1'")]
    [InlineData("got 'http:/user:pass-XYZ@127.0.0.1:1'", "got 'http:/" + Mask + "@127.0.0.1:1'")]
    [InlineData("got 'user:pass-XYZ@127.0.0.1:4318'", "got '" + Mask + "@127.0.0.1:4318'")]
    [InlineData("(https://token-XYZ@api.example/v1) failed", "(https://" + Mask + "@api.example/v1) failed")]
    [InlineData("got 'http://user:pa/ss@host/path/@x'", "got 'http://" + Mask + "@host/path/@x'")]
    [InlineData("-tracing:exporter:endpoint=http://user:s3cr3t@collector:4318", "-tracing:exporter:endpoint=http://" + Mask + "@collector:4318")]
    [InlineData("mail dev@example.com or see http://collector:4318", "mail dev@example.com or see http://collector:4318")]
    [InlineData("got 'https://gw.example.com/teams/@platform'", "got 'https://gw.example.com/teams/@platform'")]
    [InlineData("got 'http://collector:4318/v1/@tenant'", "got 'http://collector:4318/v1/@tenant'")]
    [InlineData("got 'http://[::1]:4318/v1/@tenant'", "got 'http://[::1]:4318/v1/@tenant'")]
    [InlineData("see http://host/find?email=dev@example.com", "see http://host/find?email=dev@example.com")]
    [InlineData("write to mailto:oncall@example.com", "write to mailto:oncall@example.com")]
    [InlineData("no credentials here", "no credentials here")]
    public void Url_credentials_are_masked_in_every_shape_a_user_may_write_them(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactUrlCredentials(text));
    }

    [Fact]
    public void A_value_taken_whole_is_masked_even_with_a_space_in_the_password()
    {
        Assert.Equal($"http://{Mask}@127.0.0.1:1", SecretRedactor.RedactUrlCredentialsInValue("http://user:pa ss-XYZ@127.0.0.1:1"));
        Assert.Equal("owner@example.com", SecretRedactor.RedactUrlCredentialsInValue("owner@example.com"));
        Assert.Equal("Platform: oncall@example.com", SecretRedactor.RedactUrlCredentialsInValue("Platform: oncall@example.com"));
        Assert.Equal("https://gw.example.com/teams/@platform", SecretRedactor.RedactUrlCredentialsInValue("https://gw.example.com/teams/@platform"));
    }

    [Fact]
    public void The_parts_of_a_header_value_a_backend_may_quote_back_are_the_value_its_long_words_and_url_credentials()
    {
        Assert.Equal(["Bearer s3cr3t-HDR1", "s3cr3t-HDR1"], SecretRedactor.QuotableParts("Bearer s3cr3t-HDR1"));
        Assert.Equal(["http://projtoken-1@uptrace.example?grpc=14317", "projtoken-1"], SecretRedactor.QuotableParts("http://projtoken-1@uptrace.example?grpc=14317"));
        Assert.Equal(["http://otel:longpassword-1@collector:4318", "otel:longpassword-1", "longpassword-1"], SecretRedactor.QuotableParts("http://otel:longpassword-1@collector:4318"));
    }

    [Theory]
    [InlineData("?token=s3cr3t&page=2", "?token=Redacted&page=Redacted")]
    [InlineData("?a=1&&b=", "?a=Redacted&&b=Redacted")]
    [InlineData("?flag", "?flag")]
    public void Every_query_value_is_replaced(string query, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactQuery(query));
    }
}
