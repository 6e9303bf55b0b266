#!/usr/bin/env bash
# Tollgate bootstrap: check the .NET 10 SDK, restore the pinned dotnet tools (Cake), build the solution once, then run
# build/build.cake with every argument passed through:
#   ./build.sh                          the main job (target Release) on the bundled example
#   ./build.sh --target=Test            the tests
#   ./build.sh --target=Holdout-Validate --model=bank-marketing --verbosity=diagnostic
#   ./build.sh --tree | --description | --dryrun | --exclusive
# Environment: DOTNET (the dotnet executable, default 'dotnet'); TOLLGATE_NO_BUILD=1 skips the build step (a CI job
# that received the built tree as artifacts).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
dotnet_exe="${DOTNET:-dotnet}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v "$dotnet_exe" >/dev/null 2>&1; then
  echo "build.sh: the .NET 10 SDK is required but '$dotnet_exe' was not found on PATH." >&2
  echo "          Install it (https://dot.net/download, or your package manager), or set DOTNET to the dotnet executable." >&2
  exit 2
fi
if ! "$dotnet_exe" --list-sdks 2>/dev/null | grep -q '^10\.'; then
  echo "build.sh: the .NET 10 SDK is required; '$dotnet_exe --list-sdks' shows:" >&2
  "$dotnet_exe" --list-sdks >&2 || true
  exit 2
fi

"$dotnet_exe" tool restore >/dev/null || { echo "build.sh: 'dotnet tool restore' failed (Cake.Tool 7.0.0 is pinned in .config/dotnet-tools.json)." >&2; exit 4; }

configuration=Release
if [[ "${TOLLGATE_NO_BUILD:-0}" != "1" ]]; then
  "$dotnet_exe" build Tollgate.slnx --configuration "$configuration" --nologo -clp:ErrorsOnly -v:quiet \
    || { echo "build.sh: the solution did not build (see the errors above)." >&2; exit 1; }
fi

exec "$dotnet_exe" cake build/build.cake "$@"
