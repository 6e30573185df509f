using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Hyperspot.Server.Configuration;

/// <summary>The <c>tracing.batch</c> section: the bounded export queue and how often it is drained.</summary>
public sealed class BatchSettings : IValidatableObject
{
    /// <summary>Spans waiting for export; when the queue is full, new spans are dropped (and counted).</summary>
    [ConfigurationKeyName("max_queue_size")]
    [Range(1, 1_000_000)]
    public int MaxQueueSize { get; init; } = 2048;

    /// <summary>How often the queue is drained; a full batch leaves at once.</summary>
    [ConfigurationKeyName("scheduled_delay_ms")]
    [Range(1, 600_000)]
    public int ScheduledDelayMs { get; init; } = 1000;

    /// <summary>Spans per export request, at most <see cref="MaxQueueSize"/>.</summary>
    [ConfigurationKeyName("max_export_batch_size")]
    [Range(1, 1_000_000)]
    public int MaxExportBatchSize { get; init; } = 512;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxExportBatchSize > MaxQueueSize)
        {
            yield return new ValidationResult($"must not be larger than max_queue_size ({MaxQueueSize}) (got {MaxExportBatchSize})", [nameof(MaxExportBatchSize)]);
        }
    }
}
