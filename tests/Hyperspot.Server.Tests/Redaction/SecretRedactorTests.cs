using Hyperspot.Server.Configuration;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Tests.Redaction;

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
    [InlineData("see http://host/find?email=dev@example.com", "see http://host/find?email=" + Mask)]
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
        Assert.Contains("querytoken-1", SecretRedactor.QuotableParts("http://collector:4318?grpc=4317&api_key=querytoken-1"));
    }

    [Theory]
    [InlineData("http://collector:4318/v1/traces?api_key=s3cr3t-Q", "http://collector:4318/v1/traces?api_key=" + Mask)]
    [InlineData("got 'https://api.example/users/6?S9-token' back", "got 'https://api.example/users/6?" + Mask + "' back")]
    [InlineData("http://host/p?api%5Fkey=s3cr3t-Q&page=2", "http://host/p?api%5Fkey=" + Mask + "&page=" + Mask)]
    [InlineData("http://host/p?a=1;token=s3cr3t-Q", "http://host/p?a=" + Mask + ";token=" + Mask)]
    [InlineData("http://host/cb#access_token=s3cr3t-Q", "http://host/cb#" + Mask)]
    [InlineData("http://host/p?x=1#frag-s3cr3t", "http://host/p?x=" + Mask + "#" + Mask)]
    [InlineData("http://host/app;jsessionid=s3cr3t-Q/page", "http://host/app;jsessionid=" + Mask + "/page")]
    [InlineData("http://user:s3cr3t-Q@[::1]:4318/v1?k=s3cr3t-R", "http://" + Mask + "@[::1]:4318/v1?k=" + Mask)]
    [InlineData("http://[fe80::1%25eth0]:4318/v1/traces", "http://[fe80::1%25eth0]:4318/v1/traces")]
    [InlineData("endpoint=http://host:1/?token=s3cr3t-Q.", "endpoint=http://host:1/?token=" + Mask)]
    [InlineData("'GET /users/6?S9-token HTTP/1.1'", "'GET /users/6?" + Mask + " HTTP/1.1'")]
    [InlineData("(http://u:p@h?x=1)", "(http://" + Mask + "@h?x=" + Mask + ")")]
    [InlineData("http://host:4318/v1/traces", "http://host:4318/v1/traces")]
    [InlineData("what? no; nothing # here", "what? no; nothing # here")]
    [InlineData("from \"6?token=s3cr3t-Q\"", "from \"6?token=" + Mask + "\"")]
    [InlineData("from \"6;jsessionid=s3cr3t-Q\"", "from \"6;jsessionid=" + Mask + "\"")]
    public void Query_values_path_parameters_and_fragments_of_urls_in_a_text_are_masked(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactUrlCredentials(text));
    }

    [Theory]
    [InlineData("http://host:1/base?api_key=s3cr3t-Q", "http://host:1/base?api_key=" + Mask)]
    [InlineData("http://user:pa ss@host?q=a b", "http://" + Mask + "@host?q=" + Mask)]
    [InlineData("see http://host?q=s3cr3t-Q now", "see http://host?q=" + Mask + " now")]
    [InlineData("a;b", "a;b")]
    public void A_configured_url_taken_whole_keeps_only_where_it_points(string value, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactUrlCredentialsInValue(value));
    }

    [Theory]
    [InlineData("?token=s3cr3t&page=2", "?token=Redacted&page=Redacted")]
    [InlineData("?a=1&&b=", "?a=Redacted&&b=Redacted")]
    [InlineData("?S9-token", "?Redacted")]
    [InlineData("?a=1;S9-token", "?a=Redacted;Redacted")]
    [InlineData("?api%5Fkey=s3cr3t", "?api%5Fkey=Redacted")]
    [InlineData("?", "?")]
    public void Every_query_value_is_replaced_and_a_parameter_without_a_value_is_a_value(string query, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactQuery(query));
    }

    [Theory]
    [InlineData("/users/6;jsessionid=s3cr3t/x", "/users/6;jsessionid=Redacted/x")]
    [InlineData("/users/6;s3cr3t", "/users/6;Redacted")]
    [InlineData("/users/6", "/users/6")]
    [InlineData("/users/8%3Ftoken=s3cr3t", "/users/8%3Ftoken=Redacted")]
    [InlineData("/users/8?token=s3cr3t", "/users/8?token=Redacted")]
    [InlineData("/healthz%23s3cr3t", "/healthz%23Redacted")]
    [InlineData("/users/8%3ftoken=s3cr3t", "/users/8%3Ftoken=Redacted")]
    [InlineData("/a%2Fb%20c", "/a%2Fb%20c")]
    [InlineData("/users/8%", "/users/8%")]
    [InlineData("/users/8\u001b[2J;s3cr3t", "/users/8\u001b[2J;Redacted")]
    public void Path_parameters_of_a_request_path_are_masked(string path, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactPath(path));
    }

    [Theory]
    [InlineData(@"Invalid request header: 'Authorization : Bearer s3cr3t-H\x0D\x0A'", @"Invalid request header: 'Authorization : " + Mask + @"\x0D\x0A'")]
    [InlineData("aUtHoRiZaTiOn\t:Basic s3cr3t-H", "aUtHoRiZaTiOn\t:" + Mask)]
    [InlineData("Authorization: a-s3cr3t\r\nAuthorization: b-s3cr3t\r\n", "Authorization: " + Mask + "\r\nAuthorization: " + Mask + "\r\n")]
    [InlineData("x-api-key: s3cr3t-H, cookie: sid=s3cr3t-C", "x-api-key: " + Mask)]
    [InlineData("bad data: 'GET /x?token=s3cr3t-Q HTTP/1.1'", "bad data: 'GET /x?token=" + Mask + " HTTP/1.1'")]
    [InlineData("Now listening on: http://127.0.0.1:8087", "Now listening on: http://127.0.0.1:8087")]
    [InlineData("Content-Type: application/json", "Content-Type: application/json")]
    public void A_free_text_has_its_urls_and_secret_header_lines_masked(string text, string expected)
    {
        Assert.Equal(expected, SecretRedactor.RedactText(text));
    }

    [Theory]
    [InlineData("Authorization", true)]
    [InlineData("proxy-authorization", true)]
    [InlineData("X-Auth-Token", true)]
    [InlineData("Set-Cookie", true)]
    [InlineData("x-goog-api-key", true)]
    [InlineData("referer", false)]
    [InlineData("user-agent", false)]
    public void Headers_that_name_a_secret_or_a_cookie_are_secret(string name, bool secret)
    {
        Assert.Equal(secret, SecretRedactor.IsSecretHeader(name));
    }
}
