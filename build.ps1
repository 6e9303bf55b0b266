#!/usr/bin/env pwsh
# Tollgate bootstrap for PowerShell 7: the same steps as build.sh — check the .NET 10 SDK, restore the pinned dotnet
# tools (Cake), build the solution once, then run build/build.cake with every argument passed through:
#   ./build.ps1                                  the main job (target Release) on the bundled example
#   ./build.ps1 --target=Test                    the tests
#   ./build.ps1 --target=Holdout-Validate --model=bank-marketing
# Environment: DOTNET (the dotnet executable, default 'dotnet'); TOLLGATE_NO_BUILD=1 skips the build step, and so does
# --target=Rollback when the tollgate CLI is already built (a rollback needs no rebuild).
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot
$dotnet = if ($env:DOTNET) { $env:DOTNET } else { 'dotnet' }
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

if (-not (Get-Command $dotnet -ErrorAction SilentlyContinue)) {
    [Console]::Error.WriteLine("build.ps1: the .NET 10 SDK is required but '$dotnet' was not found on PATH.")
    [Console]::Error.WriteLine("           Install it (https://dot.net/download, or your package manager), or set DOTNET to the dotnet executable.")
    exit 2
}
$sdks = & $dotnet --list-sdks 2>$null
if (-not ($sdks | Where-Object { $_ -match '^10\.' })) {
    [Console]::Error.WriteLine("build.ps1: the .NET 10 SDK is required; '$dotnet --list-sdks' shows: $sdks")
    exit 2
}

& $dotnet tool restore *> $null
if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine("build.ps1: 'dotnet tool restore' failed (Cake.Tool 7.0.0 is pinned in .config/dotnet-tools.json)."); exit 4 }

# Cake reads cake.config from the script's folder (build/); the repository keeps it at the root, so its settings go to
# Cake as CAKE_<SECTION>_<KEY> environment variables (Cake's own equivalent), relative paths resolved from the root.
$section = ''
foreach ($raw in Get-Content -LiteralPath (Join-Path $PSScriptRoot 'cake.config')) {
    $line = ($raw -split ';', 2)[0].Trim()
    if (-not $line) { continue }
    if ($line -match '^\[(.+)\]$') { $section = $Matches[1]; continue }
    $key, $value = $line -split '=', 2
    if ($null -eq $value) { continue }
    if ($section -eq 'Paths' -and $value.StartsWith('./')) { $value = Join-Path $PSScriptRoot $value.Substring(2) }
    [Environment]::SetEnvironmentVariable("CAKE_$($section.ToUpperInvariant())_$($key.Trim().ToUpperInvariant())", $value.Trim())
}

$skipBuild = $env:TOLLGATE_NO_BUILD -eq '1'
$cli = Join-Path $PSScriptRoot ".build/$($env:TOLLGATE_BUILD_SLOT)/bin/Tollgate.Cli/release/tollgate.dll"
if (($args | Where-Object { $_ -ieq '--target=Rollback' }) -and (Test-Path -LiteralPath $cli)) {
    $skipBuild = $true
    Write-Host "build.ps1: Rollback uses the tollgate CLI already built ($cli); no rebuild."
}
if (-not $skipBuild) {
    & $dotnet build Tollgate.slnx --configuration Release --nologo -clp:ErrorsOnly -v:quiet
    if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine("build.ps1: the solution did not build (see the errors above)."); exit 1 }
}

& $dotnet cake build/build.cake @args
exit $LASTEXITCODE
