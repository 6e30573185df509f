using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Hyperspot.Server.Redaction;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Validation of bound options: every <see cref="ValidationAttribute"/> of every key (a <see cref="RangeAttribute"/>
/// reads <c>must be between 1 and 600000 (got 0)</c>), then, as DataAnnotations' own validator does, the object's
/// <see cref="IValidatableObject"/> rules across keys only when every key of it is valid (a rule across keys would
/// otherwise judge a value already reported, or a default the user did not write). A result names its key by the
/// property's name, its key, or a key path relative to the object (<c>headers.x-tenant</c>).
/// </summary>
public sealed partial class OptionsBinder
{
    private void Validate(object options, string path)
    {
        var type = options.GetType();
        var invalid = false;
        foreach (var key in OptionsShape.KeysOf(type))
        {
            var keyPath = Join(path, key.Key);
            if (_refused.Contains(keyPath))
            {
                invalid = true;
                continue;
            }

            var value = key.Property.GetValue(options);
            foreach (var attribute in key.Property.GetCustomAttributes<ValidationAttribute>())
            {
                var context = new ValidationContext(options) { MemberName = key.Property.Name, DisplayName = key.Key };
                if (attribute.GetValidationResult(value, context) is { } failure)
                {
                    invalid = true;
                    Report(keyPath, attribute is RangeAttribute range
                        ? $"must be between {Number(range.Minimum)} and {Number(range.Maximum)} (got {Number(value)})"
                        : failure.ErrorMessage ?? "is not valid", value);
                }
            }

            if (key.Shape == ValueShape.Section && value is not null)
            {
                Validate(value, keyPath);
            }
        }

        if (OptionsShape.OtherKeysOf(type) is { Property: var other } && other.GetValue(options) is IDictionary entries)
        {
            foreach (DictionaryEntry entry in entries)
            {
                Validate(entry.Value!, Join(path, (string)entry.Key));
            }
        }

        if (!invalid && options is IValidatableObject validatable)
        {
            foreach (var result in validatable.Validate(new ValidationContext(options)))
            {
                var member = result.MemberNames.FirstOrDefault();
                var key = member is null ? null : OptionsShape.KeysOf(type).FirstOrDefault(k => k.Property.Name == member || k.Key.Equals(member, StringComparison.OrdinalIgnoreCase));
                Report(member is null ? path : Join(path, key?.Key ?? member), result.ErrorMessage ?? "is not valid", key?.Property.GetValue(options));
            }
        }
    }

    /// <summary>A message may quote the value (a module's own message may be careless): no secret, no credentials, one line.</summary>
    private void Report(string path, string message, object? value)
    {
        if (SecretRedactor.IsSecretPath(path) && value is string { Length: > 0 } secret)
        {
            message = message.Replace(secret, SecretRedactor.Mask, StringComparison.Ordinal);
        }

        Errors.Add(path, SecretRedactor.RedactUrlCredentials(message).ReplaceLineEndings(" "));
    }

    private static string Number(object? value) => value switch
    {
        double number => number.ToString("0.###############", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "nothing",
    };
}
