#!/usr/bin/env bash
# Tollgate bootstrap: check the .NET 10 SDK, restore the pinned dotnet tools (Cake), build the solution once, then run
# build/build.cake with every argument passed through:
#   ./build.sh                          the main job (target Release) on the bundled example
#   ./build.sh --target=Test            the tests
#   ./build.sh --target=Holdout-Validate --model=bank-marketing --verbosity=diagnostic
#   ./build.sh --tree | --description | --dryrun | --exclusive
# Environment: DOTNET (the dotnet executable, default 'dotnet'); TOLLGATE_NO_BUILD=1 skips the build step (a CI job
# that received the built tree as artifacts). --target=Rollback skips it too when the tollgate CLI is already built:
# a rollback needs no rebuild, and at 3 a.m. every second counts.
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

# Cake reads cake.config from the script's folder (build/); the repository keeps it at the root, so its settings go to
# Cake as CAKE_<SECTION>_<KEY> environment variables (Cake's own equivalent), relative paths resolved from the root.
section=""
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line%%;*}"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" ]] && continue
  if [[ "$line" =~ ^\[(.+)\]$ ]]; then section="${BASH_REMATCH[1]}"; continue; fi
  [[ "$line" == *=* ]] || continue
  key="${line%%=*}"
  value="${line#*=}"
  [[ "$section" == "Paths" && "$value" == ./* ]] && value="$here/${value#./}"
  export "CAKE_${section^^}_${key^^}=$value"
done <"$here/cake.config"

configuration=Release
skip_build="${TOLLGATE_NO_BUILD:-0}"
cli="$here/.build/${TOLLGATE_BUILD_SLOT:-}/bin/Tollgate.Cli/release/tollgate.dll"
for arg in "$@"; do
  if [[ "${arg,,}" == "--target=rollback" && -f "$cli" ]]; then
    skip_build=1
    echo "build.sh: Rollback uses the tollgate CLI already built ($cli); no rebuild."
  fi
done
if [[ "$skip_build" != "1" ]]; then
  "$dotnet_exe" build Tollgate.slnx --configuration "$configuration" --nologo -clp:ErrorsOnly -v:quiet \
    || { echo "build.sh: the solution did not build (see the errors above)." >&2; exit 1; }
fi

exec "$dotnet_exe" cake build/build.cake "$@"
