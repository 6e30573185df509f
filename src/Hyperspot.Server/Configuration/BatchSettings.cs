namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing.batch</c> section: the bounded export queue and how often it is drained.</summary>
public sealed class BatchSettings
{
    public int MaxQueueSize { get; init; } = 2048;

    public int ScheduledDelayMs { get; init; } = 1000;

    public int MaxExportBatchSize { get; init; } = 512;

    public static BatchSettings Read(SectionReader section)
    {
        var defaults = new BatchSettings();
        var settings = new BatchSettings
        {
            MaxQueueSize = section.Int("max_queue_size", defaults.MaxQueueSize, 1, 1_000_000),
            ScheduledDelayMs = section.Int("scheduled_delay_ms", defaults.ScheduledDelayMs, 1, 600_000),
            MaxExportBatchSize = section.Int("max_export_batch_size", defaults.MaxExportBatchSize, 1, 1_000_000),
        };
        if (settings.MaxExportBatchSize > settings.MaxQueueSize)
        {
            section.Errors.Add(section.PathOf("max_export_batch_size"), $"must not be larger than max_queue_size ({settings.MaxQueueSize}) (got {settings.MaxExportBatchSize})");
        }

        section.RejectUnknownKeys();
        return settings;
    }
}
