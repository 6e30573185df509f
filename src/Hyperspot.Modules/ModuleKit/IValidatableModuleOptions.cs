namespace Hyperspot.Modules.ModuleKit;

/// <summary>Options of a module that check themselves after binding.</summary>
public interface IValidatableModuleOptions
{
    /// <summary>
    /// One entry per problem, as <c>(key, message)</c> with the key relative to <c>modules.&lt;name&gt;.config</c>,
    /// e.g. <c>("external_base_url", "must be an absolute http:// or https:// URL (got 'x')")</c>.
    /// </summary>
    IEnumerable<(string Key, string Message)> Validate();
}
