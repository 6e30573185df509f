using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Hosting;

/// <summary>
/// Orders the enabled modules so that every module comes after the modules it depends on. An unknown or
/// disabled dependency, a cycle (reported with its path, <c>a -&gt; b -&gt; a</c>), or two enabled modules bound to the
/// same options class, is a configuration error.
/// </summary>
public static class ModuleOrder
{
    public static IReadOnlyList<IModule> Resolve(IReadOnlyCollection<IModule> modules, ModulesSettings settings)
    {
        var errors = new List<string>();
        foreach (var duplicate in modules.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"modules.{duplicate.Key}: registered more than once");
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var byName = modules.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);

        var enabled = modules.Where(m => settings.IsEnabled(m.Name)).ToList();
        foreach (var module in enabled)
        {
            foreach (var dependency in module.DependsOn)
            {
                if (!byName.ContainsKey(dependency))
                {
                    errors.Add($"modules.{module.Name}: depends on '{dependency}', which is not a known module");
                }
                else if (!settings.IsEnabled(dependency))
                {
                    errors.Add($"modules.{module.Name}: depends on '{dependency}', which is disabled (modules.{dependency}.enabled: false)");
                }
            }
        }

        // IOptions<TOptions> is one per type: two modules bound to the same class would read one another's config.
        foreach (var shared in enabled.Where(m => m.OptionsType is not null).GroupBy(m => m.OptionsType!).Where(g => g.Count() > 1))
        {
            var first = shared.First().Name;
            foreach (var module in shared.Skip(1))
            {
                errors.Add($"modules.{module.Name}: binds its config to {shared.Key.Name}, as modules.{first} does; each module needs its own options class");
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(errors);
        }

        var ordered = new List<IModule>();
        var state = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase); // false: visiting, true: done
        foreach (var module in enabled)
        {
            Visit(module, [], byName, state, ordered);
        }

        return ordered;
    }

    private static void Visit(IModule module, List<string> path, Dictionary<string, IModule> byName, Dictionary<string, bool> state, List<IModule> ordered)
    {
        if (state.TryGetValue(module.Name, out var done))
        {
            if (!done)
            {
                var start = path.FindIndex(p => p.Equals(module.Name, StringComparison.OrdinalIgnoreCase));
                var cycle = string.Join(" -> ", path.Skip(start).Append(module.Name));
                throw new ConfigurationException([$"modules: dependency cycle {cycle}"]);
            }

            return;
        }

        state[module.Name] = false;
        path.Add(module.Name);
        foreach (var dependency in module.DependsOn)
        {
            Visit(byName[dependency], path, byName, state, ordered);
        }

        path.RemoveAt(path.Count - 1);
        state[module.Name] = true;
        ordered.Add(module);
    }
}
