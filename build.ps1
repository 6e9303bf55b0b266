#!/usr/bin/env pwsh
# Tollgate bootstrap for PowerShell 7: the same steps as build.sh — check the .NET 10 SDK, restore the pinned dotnet
# tools (Cake), build the solution once, then run build/build.cake with every argument passed through:
#   ./build.ps1                                  the main job (target Release) on the bundled example
#   ./build.ps1 --target=Test                    the tests
#   ./build.ps1 --target=Holdout-Validate --model=bank-marketing
# Environment: DOTNET (the dotnet executable, default 'dotnet'); TOLLGATE_NO_BUILD=1 skips the build step.
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

if ($env:TOLLGATE_NO_BUILD -ne '1') {
    & $dotnet build Tollgate.slnx --configuration Release --nologo -clp:ErrorsOnly -v:quiet
    if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine("build.ps1: the solution did not build (see the errors above)."); exit 1 }
}

& $dotnet cake build/build.cake @args
exit $LASTEXITCODE
