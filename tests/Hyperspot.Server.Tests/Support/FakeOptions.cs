using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Tests.Support;

/// <summary>Typed options for a <see cref="FakeModule"/>: one property of each kind the binder handles.</summary>
public sealed class FakeOptions : IValidatableObject
{
    [ConfigurationKeyName("base_url")]
    public string BaseUrl { get; set; } = "http://localhost:1234";

    public int Count { get; set; } = 3;

    public bool Flag { get; set; }

    public string[] Hosts { get; set; } = ["default-host"];

    [ConfigurationKeyName("api_token")]
    public string ApiToken { get; set; } = "";

    [ConfigurationKeyName("signing_secrets")]
    public List<string> SigningSecrets { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new ValidationResult($"must be an absolute http:// or https:// URL (got '{BaseUrl}')", ["base_url"]);
        }

        if (ApiToken.Length is > 0 and < 8)
        {
            // Careless on purpose: quotes the secret, as a module author might.
            yield return new ValidationResult($"must be at least 8 characters (got '{ApiToken}')", ["api_token"]);
        }

        if (Count > 100)
        {
            yield return new ValidationResult($"must be at most 100 (got {Count})", ["count"]);
        }
    }
}
