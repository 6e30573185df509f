using Hyperspot.Server.Redaction;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>
/// Binds options types to the layered configuration, strictly: the host's sections and every module's
/// <c>modules.&lt;name&gt;.config</c> alike. For one options type it first walks the configuration against the type's
/// keys (unknown keys with the closest valid one, a section where a value is expected and the reverse, values the
/// type converters refuse), then lets <see cref="ConfigurationBinder"/> bind what is left, replaces each list with
/// the highest layer's, and validates the result (DataAnnotations attributes on the properties, then
/// <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> for rules across keys). Every problem is
/// collected in <see cref="Errors"/>, one line naming its dotted path; nothing stops at the first.
/// </summary>
public sealed partial class OptionsBinder(IConfigurationRoot root)
{
    /// <summary>Configuration paths (<c>tracing:exporter:kind</c>) the library's binder must not see: refused values, lists.</summary>
    private readonly HashSet<string> _hidden = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Dotted paths (<c>tracing.exporter.kind</c>) whose value was refused: the property keeps its default.</summary>
    private readonly HashSet<string> _refused = new(StringComparer.OrdinalIgnoreCase);

    public IConfigurationRoot Root { get; } = root;

    public ConfigurationErrors Errors { get; } = new();

    public T Bind<T>(string path) where T : class, new() => (T)Bind(typeof(T), path);

    /// <summary>
    /// Binds the section at the dotted <paramref name="path"/> to a new <paramref name="type"/> (which holds the defaults).
    /// <paramref name="handledElsewhere"/> are keys of the section that another options type binds.
    /// </summary>
    public object Bind(Type type, string path, IReadOnlyCollection<string>? handledElsewhere = null)
    {
        var options = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"{type.Name} needs a public parameterless constructor.");
        var section = Root.GetSection(path.Replace('.', ':'));
        if (!IsSection(section, path))
        {
            return options;
        }

        Check(section, path, type, handledElsewhere ?? []);
        try
        {
            new FilteredSection(section, _hidden).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            Errors.Add(path, SecretRedactor.RedactUrlCredentials((ex.InnerException ?? ex).Message.ReplaceLineEndings(" ")));
            return options;
        }

        Complete(options, section, path);
        Validate(options, path);
        return options;
    }

    /// <summary>
    /// Reports every key of the section at <paramref name="path"/> that is not one of <paramref name="valid"/>, with the
    /// closest valid one: <c>unknown module (did you mean 'examples'?)</c>, else <c>unknown module (known modules: ...)</c>;
    /// with no valid key, every key gets <paramref name="what"/> alone.
    /// </summary>
    public void RejectUnknown(string path, IReadOnlyCollection<string> valid, string what = "unknown key", string listedAs = "valid keys") =>
        RejectUnknown(path.Length == 0 ? null : Root.GetSection(path.Replace('.', ':')), path, valid, what, listedAs);

    /// <param name="section">The section at <paramref name="path"/> (a dotted key is one key), or null for the top level.</param>
    private void RejectUnknown(IConfigurationSection? section, string path, IReadOnlyCollection<string> valid, string what = "unknown key", string listedAs = "valid keys")
    {
        if (section is null || IsSection(section, path))
        {
            foreach (var child in (section?.GetChildren() ?? Root.GetChildren()).Where(c => !valid.Contains(c.Key, StringComparer.OrdinalIgnoreCase)))
            {
                var suggestion = KeySuggestion.Closest(child.Key, valid);
                Errors.Add(UnknownPath(path, child.Path, child.Key), valid.Count == 0 ? what
                    : suggestion is null ? $"{what} ({listedAs}: {string.Join(", ", valid)})"
                    : $"{what} (did you mean '{suggestion}'?)");
            }
        }
    }

    /// <summary>
    /// How an invalid key is named in messages: its dotted path (under <paramref name="parent"/>, empty at the top level)
    /// as written in the file, or in lower case with the <c>APP__</c> variable or flag that set it
    /// (<c>tracing.samplr (from APP__TRACING__SAMPLR)</c>).
    /// </summary>
    public string UnknownPath(string parent, string configurationPath, string key)
    {
        var origin = ChildKeyIndex.OriginOf(Root, configurationPath);
        var shownKey = ShownValue.EscapeControls(origin is null ? key : key.ToLowerInvariant());
        var path = parent.Length == 0 ? shownKey : parent + "." + shownKey;
        return origin is null ? path : $"{path} (from {ShownValue.Of("", origin)})";
    }

    /// <summary>False, with the error, when the configuration gives a plain value where a section of keys belongs.</summary>
    private bool IsSection(IConfigurationSection section, string path)
    {
        if (!string.IsNullOrEmpty(section.Value) && !section.GetChildren().Any())
        {
            Errors.Add(path, $"must be a section of keys (got '{ShownValue.Of(path, section.Value)}')");
            _hidden.Add(section.Path);
            return false;
        }

        return true;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;
}
