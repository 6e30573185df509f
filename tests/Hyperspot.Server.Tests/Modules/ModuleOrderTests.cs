using Hyperspot.Modules;
using Hyperspot.Server.Configuration;
using Hyperspot.Server.Hosting;
using Hyperspot.Server.Tests.Support;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Server.Tests.Modules;

public class ModuleOrderTests
{
    private static ModulesSettings AllEnabled(IReadOnlyCollection<IModule> modules) =>
        Config.Read(null, modules: modules).Modules;

    private static ModulesSettings With(string yaml, IReadOnlyCollection<IModule> modules) =>
        Config.Read(yaml, modules: modules).Modules;

    private static string[] Names(IEnumerable<IModule> modules) => [.. modules.Select(m => m.Name)];

    [Fact]
    public void A_module_comes_after_the_modules_it_depends_on_whatever_the_registration_order()
    {
        IModule[] modules = [new FakeModule("api", "cache", "db"), new FakeModule("cache", "db"), new FakeModule("db"), new FakeModule("metrics")];

        var ordered = Names(ModuleOrder.Resolve(modules, AllEnabled(modules)));

        Assert.Equal(["db", "cache", "api", "metrics"], ordered);
    }

    [Fact]
    public void Independent_modules_keep_their_registration_order()
    {
        IModule[] modules = [new FakeModule("zeta"), new FakeModule("alpha"), new FakeModule("mid")];

        Assert.Equal(["zeta", "alpha", "mid"], Names(ModuleOrder.Resolve(modules, AllEnabled(modules))));
    }

    [Fact]
    public void A_diamond_orders_the_shared_dependency_once_and_first()
    {
        IModule[] modules = [new FakeModule("top", "left", "right"), new FakeModule("left", "base"), new FakeModule("right", "base"), new FakeModule("base")];

        var ordered = Names(ModuleOrder.Resolve(modules, AllEnabled(modules)));

        Assert.Equal(4, ordered.Length);
        Assert.Equal("base", ordered[0]);
        Assert.Equal("top", ordered[^1]);
    }

    [Fact]
    public void Two_enabled_modules_bound_to_one_options_class_are_an_error_unless_one_is_disabled()
    {
        IModule[] modules = [new FakeModule("vault") { OptionsType = typeof(FakeOptions) }, new FakeModule("safe") { OptionsType = typeof(FakeOptions) }];

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, AllEnabled(modules))).Errors);

        Assert.Equal("modules.safe: binds its config to FakeOptions, as modules.vault does; each module needs its own options class", error);
        Assert.Equal(["vault"], Names(ModuleOrder.Resolve(modules, With("modules:\n  safe:\n    enabled: false\n", modules))));
    }

    [Fact]
    public void A_cycle_is_an_error_naming_its_path()
    {
        IModule[] modules = [new FakeModule("a", "b"), new FakeModule("b", "a")];

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, AllEnabled(modules))).Errors);

        Assert.Contains("a -> b -> a", error);
    }

    [Fact]
    public void A_longer_cycle_names_only_the_modules_on_it()
    {
        IModule[] modules = [new FakeModule("entry", "x"), new FakeModule("x", "y"), new FakeModule("y", "z"), new FakeModule("z", "x")];

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, AllEnabled(modules))).Errors);

        Assert.Contains("x -> y -> z -> x", error);
        Assert.DoesNotContain("entry", error);
    }

    [Fact]
    public void A_module_that_depends_on_itself_is_a_cycle()
    {
        IModule[] modules = [new FakeModule("selfish", "selfish")];

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, AllEnabled(modules))).Errors);

        Assert.Contains("selfish -> selfish", error);
    }

    [Fact]
    public void An_unknown_dependency_is_an_error_naming_both_modules()
    {
        IModule[] modules = [new FakeModule("db"), new FakeModule("api", "db", "queue")];

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, AllEnabled(modules))).Errors);

        Assert.Contains("modules.api", error);
        Assert.Contains("'queue'", error);
        Assert.Contains("not a known module", error);
    }

    [Fact]
    public void A_disabled_dependency_is_an_error_naming_both_modules()
    {
        IModule[] modules = [new FakeModule("db"), new FakeModule("api", "db")];

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, With("modules:\n  db:\n    enabled: false\n", modules))).Errors);

        Assert.Contains("modules.api", error);
        Assert.Contains("'db'", error);
        Assert.Contains("disabled", error);
    }

    [Fact]
    public void A_disabled_module_is_left_out_and_its_dependencies_may_be_disabled_too()
    {
        IModule[] modules = [new FakeModule("db"), new FakeModule("api", "db"), new FakeModule("metrics")];

        var ordered = Names(ModuleOrder.Resolve(modules, With("modules:\n  api:\n    enabled: false\n  db:\n    enabled: false\n", modules)));

        Assert.Equal(["metrics"], ordered);
    }

    [Fact]
    public void A_name_registered_twice_is_an_error_naming_it()
    {
        IModule[] modules = [new FakeModule("db"), new FakeModule("DB")];

        var exception = Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, new ModulesSettings()));

        Assert.Contains("modules.db: registered more than once", exception.Errors);
    }

    [Fact]
    public void Every_dependency_problem_is_reported_at_once()
    {
        IModule[] modules = [new FakeModule("db"), new FakeModule("api", "db", "ghost"), new FakeModule("jobs", "phantom")];

        var errors = Assert.Throws<ConfigurationException>(() => ModuleOrder.Resolve(modules, With("modules:\n  db:\n    enabled: false\n", modules))).Errors;

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("modules.api") && e.Contains("'ghost'"));
        Assert.Contains(errors, e => e.Contains("modules.api") && e.Contains("'db'"));
        Assert.Contains(errors, e => e.Contains("modules.jobs") && e.Contains("'phantom'"));
    }
}
