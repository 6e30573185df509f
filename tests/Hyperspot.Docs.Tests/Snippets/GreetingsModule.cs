// The complete module of docs/TRACING.md, "Writing a module", verbatim.
using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MyCompany.Greetings;

/// <summary>modules.greetings.config</summary>
public sealed class GreetingsOptions
{
    [ConfigurationKeyName("salutation")]
    [Required(AllowEmptyStrings = false, ErrorMessage = "must not be empty")]
    public string Salutation { get; set; } = "Hello";

    [ConfigurationKeyName("max_name_length")]
    [Range(1, 1000)]
    public int MaxNameLength { get; set; } = 64;
}

public sealed class GreetingsModule : IModule
{
    public string Name => "greetings";

    public IReadOnlyList<string> DependsOn => ["system"];

    public Type OptionsType => typeof(GreetingsOptions);

    public void ConfigureServices(ModuleServicesContext context)
    {
        context.Services.AddSingleton(new GreetingsTelemetry(context.ActivitySource));
    }

    public void MapEndpoints(ModuleEndpointContext context)
    {
        context.Api.MapGet("/hello/{name}", Hello)
            .WithName("greetings.hello")
            .WithSummary("Greets someone inside a compose_greeting span");
    }

    public Task StartAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<GreetingsOptions>();
        services.GetRequiredService<ILogger<GreetingsModule>>().LogInformation("Greeting with '{Salutation}'", options.Salutation);
        return Task.CompletedTask;
    }

    private static IResult Hello(string name, HttpContext http, GreetingsOptions options, GreetingsTelemetry telemetry, ILogger<GreetingsModule> logger)
    {
        using var span = telemetry.Source.StartActivity("compose_greeting");
        span?.SetTag("greeting.name_length", name.Length);
        if (name.Length > options.MaxNameLength)
        {
            span.MarkFailed($"name longer than {options.MaxNameLength} characters");
            return Results.Problem(title: "Name too long", statusCode: StatusCodes.Status400BadRequest);
        }

        logger.LogInformation("Greeting {Name}", name);
        span.MarkSucceeded();
        return Results.Ok(new { message = $"{options.Salutation}, {name}!", request_id = http.GetRequestId() });
    }
}

public sealed record GreetingsTelemetry(ActivitySource Source);
