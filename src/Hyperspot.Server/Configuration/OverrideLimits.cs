using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// <c>APP__</c> variables and <c>--section:key=value</c> overrides are input like the file: their number, the length
/// of their names and values and the depth of their paths are bounded (<see cref="ConfigurationLimits"/>), checked
/// before they become configuration layers.
/// </summary>
internal static class OverrideLimits
{
    public static IReadOnlyList<string> Check(IDictionary environment, IReadOnlyList<KeyValuePair<string, string?>> overrides)
    {
        var errors = new List<string>();
        var variables = AppVariablesSource.Provider.Variables(environment).ToList();
        if (variables.Count > ConfigurationLimits.MaxOverrides)
        {
            errors.Add($"{AppVariablesSource.Prefix} variables: {ConfigurationLimits.Format(variables.Count)} are set; the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxOverrides)}");
        }
        else
        {
            foreach (var (name, value) in variables)
            {
                CheckOne(errors, name, name[AppVariablesSource.Prefix.Length..].Split("__").Length, value);
            }
        }

        if (overrides.Count > ConfigurationLimits.MaxOverrides)
        {
            errors.Add($"command-line overrides: {ConfigurationLimits.Format(overrides.Count)} are given; the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxOverrides)}");
        }
        else
        {
            foreach (var (key, value) in overrides)
            {
                CheckOne(errors, "--" + key, key.Split(ConfigurationPath.KeyDelimiter).Length, value);
            }
        }

        return errors;
    }

    private static void CheckOne(List<string> errors, string name, int depth, string? value)
    {
        var shown = ShownValue.Of("", name);
        if (name.Length > ConfigurationLimits.MaxOverrideKeyLength)
        {
            errors.Add($"{shown}: a name of {ConfigurationLimits.Format(name.Length)} characters; the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxOverrideKeyLength)}");
        }
        else if (depth > ConfigurationLimits.MaxDepth)
        {
            errors.Add($"{shown}: {depth} levels deep; the limit is {ConfigurationLimits.MaxDepth}");
        }
        else if (value is { Length: > ConfigurationLimits.MaxValueLength })
        {
            errors.Add($"{shown}: a value of {ConfigurationLimits.Format(value.Length)} characters; the limit is {ConfigurationLimits.Format(ConfigurationLimits.MaxValueLength)}");
        }
    }
}
