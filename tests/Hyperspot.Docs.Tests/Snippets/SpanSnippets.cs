// docs/TRACING.md, "Manual span creation" and "Observability best practices", verbatim.
using System.Diagnostics;
using Hyperspot.Modules.ModuleKit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hyperspot.Docs.Tests.Snippets;

public sealed class UserProcessor(
    ModuleTelemetry<UsersModule> telemetry,
    TracedClient client,
    ILogger<UserProcessor> logger)
{
    public async Task ProcessUserDataAsync(long userId, CancellationToken cancellationToken)
    {
        // Create a span for this operation
        using var span = telemetry.Source.StartActivity("process_user");
        span?.SetTag("user.id", userId);

        // Your business logic here
        logger.LogInformation("Processing user {UserId}", userId);

        // Child operations are traced automatically
        using var response = await client.GetAsync($"https://api.example.com/users/{userId}", cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>The module that registers <see cref="UserProcessor"/>, which takes its <see cref="ModuleTelemetry{TModule}"/>.</summary>
public sealed class UsersModule : IModule
{
    public string Name => "users";

    public void ConfigureServices(ModuleServicesContext context)
    {
        context.Services.AddTracedClient();
        context.Services.AddTransient<UserProcessor>();
    }
}

public static class StructuredAttributesSnippet
{
    public static void Run(ActivitySource source, long userId, string userEmail)
    {
        using var span = source.StartActivity("user_operation");
        span?.SetTag("user.id", userId);
        span?.SetTag("user.email", userEmail);
        span?.SetTag("operation.type", "create");
        span.MarkSucceeded(); // operation.result = "success"
    }
}

public sealed class ErrorHandlingSnippet(Func<CancellationToken, Task<string>> riskyOperation)
{
    public async Task<string> RunAsync(ActivitySource source, CancellationToken cancellationToken)
    {
        using var span = source.StartActivity("risky_operation");
        try
        {
            var result = await RiskyOperationAsync(cancellationToken);
            span.MarkSucceeded();
            return result;
        }
        catch (Exception ex)
        {
            span.MarkFailed(ex);
            throw;
        }
    }

    private Task<string> RiskyOperationAsync(CancellationToken cancellationToken) => riskyOperation(cancellationToken);
}
