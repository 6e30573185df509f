using System.Diagnostics;
using Hyperspot.Modules.Examples;
using Hyperspot.Modules.Health;
using Hyperspot.Modules.ModuleKit;

namespace Hyperspot.Modules.Tests.ModuleKit;

/// <summary>The module contract: options declared by the module's type, one ActivitySource per module named after it.</summary>
public sealed class ModuleContractTests
{
    [Fact]
    public void A_module_declares_its_options_type_in_its_signature()
    {
        Assert.Equal(typeof(ExamplesOptions), ((IModule)new ExamplesModule()).OptionsType);
        Assert.Null(((IModule)new SystemModule()).OptionsType);
    }

    [Fact]
    public void Module_telemetry_source_is_named_after_the_module_and_records_when_listened_to()
    {
        using var telemetry = new ModuleTelemetry<ExamplesModule>(new ExamplesModule());
        Assert.Equal("Hyperspot.Modules.examples", telemetry.Source.Name);

        using var listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, telemetry.Source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var span = telemetry.Source.StartActivity("process_user");
        Assert.NotNull(span);
        Assert.Equal("Hyperspot.Modules.examples", span.Source.Name);
    }
}
