using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Hyperspot.TestBackend;

/// <summary>
/// Reads the metrics the Aspire Dashboard (13.6) stored in its SQLite database, read-only, while it runs. The
/// database is in the newest <c>aspire-dashboard-*</c> directory of the dashboard's temporary directory (a restart
/// makes a new one). Nothing received yet: an empty list.
/// </summary>
internal static class DashboardMetricsStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    public static IReadOnlyList<ReceivedInstrument> Read(string dataDirectory)
    {
        var database = FindDatabase(dataDirectory);
        if (database is null)
        {
            return [];
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = database,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
                DefaultTimeout = 10,
            }.ToString());
            connection.Open();
            return ReadInstruments(connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteBusy or SqliteLocked)
        {
            return []; // the dashboard is writing: the next poll reads it
        }
    }

    private static string? FindDatabase(string dataDirectory) =>
        Directory.Exists(dataDirectory)
            ? new DirectoryInfo(dataDirectory).GetDirectories("aspire-dashboard-*")
                .OrderByDescending(d => d.CreationTimeUtc)
                .Select(d => Path.Combine(d.FullName, "dashboard.db"))
                .FirstOrDefault(File.Exists)
            : null;

    private static List<ReceivedInstrument> ReadInstruments(SqliteConnection connection)
    {
        var attributes = new Dictionary<long, Dictionary<string, string>>();
        foreach (var row in Query(connection, "SELECT dimension_id, attribute_key, attribute_value FROM telemetry_metric_dimension_attributes"))
        {
            Dimension(attributes, (long)row[0]!)[(string)row[1]!] = (string)row[2]!;
        }

        var exemplars = new Dictionary<long, List<ReceivedExemplar>>();
        foreach (var row in Query(connection, """
            SELECT p.dimension_id, e.trace_id, e.span_id, e.exemplar_value
            FROM telemetry_metric_exemplars e JOIN telemetry_metric_points p ON p.point_id = e.point_id
            """))
        {
            var list = exemplars.TryGetValue((long)row[0]!, out var found) ? found : exemplars[(long)row[0]!] = [];
            list.Add(new ReceivedExemplar(((string)row[1]!).ToLowerInvariant(), ((string)row[2]!).ToLowerInvariant(), Convert.ToDouble(row[3]!)));
        }

        var series = new Dictionary<long, List<ReceivedSeries>>();
        foreach (var row in Query(connection, """
            SELECT d.instrument_id, d.dimension_id, MAX(p.histogram_count), MAX(COALESCE(p.double_value, p.integer_value)),
                   (SELECT explicit_bounds FROM telemetry_metric_points b WHERE b.dimension_id = d.dimension_id ORDER BY b.point_id DESC LIMIT 1)
            FROM telemetry_metric_dimensions d LEFT JOIN telemetry_metric_points p ON p.dimension_id = d.dimension_id
            GROUP BY d.instrument_id, d.dimension_id
            """))
        {
            var dimension = (long)row[1]!;
            var list = series.TryGetValue((long)row[0]!, out var found) ? found : series[(long)row[0]!] = [];
            list.Add(new ReceivedSeries(
                attributes.GetValueOrDefault(dimension) ?? [],
                row[2] is long count ? count : null,
                row[3] is { } value ? Convert.ToDouble(value) : null,
                Bounds(row[4] as byte[]),
                exemplars.GetValueOrDefault(dimension) ?? []));
        }

        return Query(connection, """
                SELECT i.instrument_id, r.resource_name, s.scope_name, i.instrument_name, i.unit
                FROM telemetry_metric_instruments i
                JOIN telemetry_resources r ON r.resource_id = i.resource_id
                JOIN telemetry_scopes s ON s.scope_id = i.scope_id
                ORDER BY i.instrument_id
                """)
            .Select(row => new ReceivedInstrument((string)row[1]!, (string)row[2]!, (string)row[3]!, (string)row[4]!, series.GetValueOrDefault((long)row[0]!) ?? []))
            .ToList();
    }

    private static Dictionary<string, string> Dimension(Dictionary<long, Dictionary<string, string>> attributes, long id) =>
        attributes.TryGetValue(id, out var found) ? found : attributes[id] = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The boundaries, stored as little-endian doubles.</summary>
    private static double[] Bounds(byte[]? blob) =>
        blob is null ? [] : Enumerable.Range(0, blob.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(blob.AsSpan(i * 8, 8))).ToArray();

    private static List<object?[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
