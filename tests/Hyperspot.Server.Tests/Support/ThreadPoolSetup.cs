using System.Runtime.CompilerServices;

namespace Hyperspot.Server.Tests.Support;

/// <summary>
/// Test classes run in parallel, and several of them block thread-pool threads on purpose (a module whose stop blocks,
/// processes waited for). On a 2-core machine the pool starts with two threads and adds about one a second, so
/// work queued behind those blocks could wait past the one-second stop bounds the module tests measure. Starting
/// with more threads keeps the tests about the code's bounds, not the pool's growth.
/// </summary>
internal static class ThreadPoolSetup
{
    [ModuleInitializer]
    internal static void StartWithEnoughThreads()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(completionPorts, 32));
    }
}
