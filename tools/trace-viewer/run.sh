#!/usr/bin/env bash
# Local trace viewer: runs the Aspire Dashboard (from NuGet, no Docker) as an OTLP backend.
#
#   UI and query API   http://localhost:18888   (/api/telemetry/{resources,spans,traces,logs})
#   OTLP/gRPC          http://127.0.0.1:4317
#   OTLP/HTTP          http://127.0.0.1:4318    (/v1/traces, /v1/logs, /v1/metrics; no gzip)
#
# Usage: scripts/trace-viewer [--print-path | --help]
#   --print-path   restore the package if needed, print the binary's path and exit
#
# Environment:
#   VIEWER_HOST            address to listen on (default 127.0.0.1)
#   VIEWER_UI_PORT         UI + /api/telemetry port (default 18888)
#   VIEWER_OTLP_GRPC_PORT  OTLP/gRPC port (default 4317)
#   VIEWER_OTLP_HTTP_PORT  OTLP/HTTP port (default 4318)
#   VIEWER_API_KEY         when set, OTLP requests must carry the header `x-otlp-api-key: <key>`
#                          (OTEL_EXPORTER_OTLP_HEADERS=x-otlp-api-key=<key>); UI and API stay open
# Any other Dashboard__* variable (e.g. Dashboard__TelemetryLimits__MaxTraceCount) is passed through.
#
# The UI does not ask for a login token. Telemetry is kept in memory only. Ctrl-C stops it.
set -euo pipefail

here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
project="$here/TraceViewer.csproj"
props="$here/AspireDashboard.props"

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

die() {
    echo "trace-viewer: $*" >&2
    exit 1
}

print_path=false
case "${1:-}" in
    "") ;;
    --print-path) print_path=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
esac

[ "$(uname -s)" = "Linux" ] && [ "$(uname -m)" = "x86_64" ] \
    || die "the packaged dashboard is built for linux-x64; this machine is $(uname -s)/$(uname -m)"
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK (dotnet) is required"

read_property() {
    sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$props" | head -n 1
}
package_id="$(read_property AspireDashboardPackageId)"
version="$(read_property AspireDashboardVersion)"
[ -n "$package_id" ] && [ -n "$version" ] || die "cannot read the package id/version from $props"

packages_root() {
    local line
    line="$(dotnet nuget locals global-packages --list)" || return 1
    line="${line#*global-packages: }"
    printf '%s\n' "${line%/}"
}

binary_path() {
    local root
    root="$(packages_root)" || return 1
    printf '%s/%s/%s/tools/Aspire.Dashboard\n' "$root" "$(printf '%s' "$package_id" | tr '[:upper:]' '[:lower:]')" "$version"
}

binary="$(binary_path)" || die "cannot determine the NuGet global packages folder"

if [ ! -f "$binary" ]; then
    echo "trace-viewer: restoring $package_id $version ..." >&2
    restore_log="$(mktemp)"
    # Serialise concurrent first-time restores (e.g. several test runs starting together).
    if command -v flock >/dev/null 2>&1; then
        mkdir -p "$here/obj"
        exec 9>"$here/obj/.restore.lock"
        flock 9
    fi
    if [ ! -f "$binary" ] && ! dotnet restore "$project" --nologo >"$restore_log" 2>&1; then
        cat "$restore_log" >&2
        rm -f "$restore_log"
        die "dotnet restore of $project failed"
    fi
    rm -f "$restore_log"
    if command -v flock >/dev/null 2>&1; then
        exec 9>&-
    fi
    [ -f "$binary" ] || die "restore finished but $binary does not exist"
fi

if [ ! -x "$binary" ]; then
    chmod u+x "$binary" 2>/dev/null || true
    [ -x "$binary" ] || die "$binary is not executable and chmod failed"
fi

if $print_path; then
    printf '%s\n' "$binary"
    exit 0
fi

host="${VIEWER_HOST:-127.0.0.1}"
ui_port="${VIEWER_UI_PORT:-18888}"
grpc_port="${VIEWER_OTLP_GRPC_PORT:-4317}"
http_port="${VIEWER_OTLP_HTTP_PORT:-4318}"

# The dashboard would export its own telemetry if OTEL_* variables (often set in a shell
# that is pointed at this viewer) reached it.
while IFS= read -r name; do
    unset "$name"
done < <(compgen -e | grep -E '^(OTEL_|ASPNETCORE_|ASPIRE_|DOTNET_DASHBOARD_)' || true)

export ASPNETCORE_URLS="http://$host:$ui_port"
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="http://$host:$grpc_port"
export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://$host:$http_port"
export Dashboard__Frontend__AuthMode=Unsecured
export Dashboard__Api__Enabled=true
export Dashboard__Api__AuthMode=Unsecured
if [ -n "${VIEWER_API_KEY:-}" ]; then
    export Dashboard__Otlp__AuthMode=ApiKey
    export Dashboard__Otlp__PrimaryApiKey="$VIEWER_API_KEY"
else
    export Dashboard__Otlp__AuthMode=Unsecured
fi

ui_host="$host"
[ "$host" = "127.0.0.1" ] && ui_host=localhost
echo "trace-viewer: UI http://$ui_host:$ui_port  OTLP/gRPC http://$host:$grpc_port  OTLP/HTTP http://$host:$http_port${VIEWER_API_KEY:+  (x-otlp-api-key required)}" >&2

# Run from the binary's folder so it finds its wwwroot and appsettings.json.
cd "$(dirname "$binary")"
exec "$binary"
