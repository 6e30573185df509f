// The complete module of docs/TRACING.md, "Writing a module", verbatim.
using System.ComponentModel.DataAnnotations;
using Hyperspot.Modules.ModuleKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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

public sealed class GreetingsModule : IModule<GreetingsOptions>
{
    public string Name => "greetings";

    public IReadOnlyList<string> DependsOn => ["system"];

    public void MapEndpoints(ModuleEndpointContext context)
    {
        context.Api.MapGet("/hello/{name}", Hello)
            .WithName("greetings.hello")
            .WithSummary("Greets someone inside a compose_greeting span");
    }

    private static IResult Hello(
        string name,
        HttpContext http,
        IOptions<GreetingsOptions> options,
        ModuleTelemetry<GreetingsModule> telemetry,
        ILogger<GreetingsModule> logger)
    {
        var config = options.Value;
        using var span = telemetry.Source.StartActivity("compose_greeting");
        span?.SetTag("greeting.name_length", name.Length);
        if (name.Length > config.MaxNameLength)
        {
            span.MarkFailed($"name longer than {config.MaxNameLength} characters");
            return Results.Problem(title: "Name too long", statusCode: StatusCodes.Status400BadRequest);
        }

        logger.LogInformation("Greeting {Name}", name);
        span.MarkSucceeded();
        return Results.Ok(new { message = $"{config.Salutation}, {name}!", request_id = http.GetRequestId() });
    }
}
