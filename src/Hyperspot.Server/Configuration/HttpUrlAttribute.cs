using System.ComponentModel.DataAnnotations;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Configuration;

/// <summary>The value must be an absolute <c>http://</c> or <c>https://</c> URL; the message shows it without credentials.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? ValidationResult.Success
            : new ValidationResult($"must be an absolute http:// or https:// URL (got '{SecretRedactor.RedactUrlCredentials(text)}')");
}
