using System.Net.Http;

namespace Hyperspot.IntegrationTests.Reload;

/// <summary>
/// Requests sent one after another for as long as it runs, cycling through <c>paths</c>, counting answers and failures
/// (an exception or any status but 200): a reload must not lose one.
/// </summary>
public sealed class SteadyLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _answered;
    private long _failed;
    private string? _firstFailure;

    public SteadyLoad(HttpClient client, params string[] paths)
    {
        _loop = Task.Run(async () =>
        {
            for (var i = 0; !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    using var response = await client.GetAsync(paths[i % paths.Length], _stop.Token);
                    if (response.StatusCode != System.Net.HttpStatusCode.OK)
                    {
                        Fail($"{paths[i % paths.Length]} answered {(int)response.StatusCode}");
                    }
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
                {
                    Fail($"{paths[i % paths.Length]}: {ex.Message}");
                }

                Interlocked.Increment(ref _answered);
            }
        });
    }

    public long Answered => Interlocked.Read(ref _answered);

    public long Failed => Interlocked.Read(ref _failed);

    public string FirstFailure => _firstFailure ?? "none";

    /// <summary>Waits until <paramref name="count"/> more requests have been answered.</summary>
    public async Task WaitForMoreAsync(long count, TimeSpan timeout)
    {
        var target = Answered + count;
        var deadline = DateTime.UtcNow + timeout;
        while (Answered < target)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {Answered} of {target} requests answered");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void Fail(string what)
    {
        Interlocked.CompareExchange(ref _firstFailure, what, null);
        Interlocked.Increment(ref _failed);
    }
}
