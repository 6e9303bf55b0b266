using System.Globalization;
using System.Text;

namespace Tollgate.Gateway.Mirroring;

/// <summary>Counters of the mirror, served on the gateway's state endpoint and as Prometheus text.</summary>
/// <param name="Enqueued">Copies queued for the shadow.</param>
/// <param name="Dropped">Copies dropped because the bounded queue was full (production was not delayed).</param>
/// <param name="Sent">Copies the shadow answered.</param>
/// <param name="Failed">Copies the shadow failed (5xx, timeout, refused).</param>
/// <param name="Queued">Copies waiting now.</param>
/// <param name="Skipped">Production exchanges not mirrored: body over the limit or not read whole, or production failed.</param>
public sealed record MirrorStats(long Enqueued, long Dropped, long Sent, long Failed, int Queued, long Skipped = 0)
{
    public string ToPrometheus()
    {
        var text = new StringBuilder();
        Counter(text, "tollgate_gateway_mirror_enqueued_total", "Copies queued for the shadow.", Enqueued);
        Counter(text, "tollgate_gateway_mirror_dropped_total", "Copies dropped because the mirror queue was full.", Dropped);
        Counter(text, "tollgate_gateway_mirror_sent_total", "Copies the shadow answered.", Sent);
        Counter(text, "tollgate_gateway_mirror_failed_total", "Copies the shadow failed (5xx, timeout, refused).", Failed);
        Counter(text, "tollgate_gateway_mirror_skipped_total", "Production exchanges not mirrored (too large, not read whole, production failed).", Skipped);
        text.Append("# HELP tollgate_gateway_mirror_queued Copies waiting for the shadow.\n# TYPE tollgate_gateway_mirror_queued gauge\n")
            .Append("tollgate_gateway_mirror_queued ").Append(Queued.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return text.ToString();
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
