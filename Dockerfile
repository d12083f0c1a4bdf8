# syntax=docker/dockerfile:1@sha256:ecfaec9ed6d810b56388c508f4121597bfbba70d41a6dfeee4d8cad5f295fc32
#
# MetricsEngine API image: the SDK builds, the ASP.NET Core runtime runs, nothing else is copied.
#
#   docker build -t metricsengine .
#   docker build --target migrations --output type=local,dest=out .   # out/migrations.sql
#
# Configuration comes from the environment only (ConnectionStrings__Metrics, Auth__*, Query__*, see
# README "Configuration"). docker-compose.yml runs it locally with PostgreSQL.
#
# Base images are pinned by digest (tag kept for readers and Dependabot, which moves both), so a
# build uses exactly the images that were reviewed; ci.yml scans the result with Trivy.

# The dashboard (src/Dashboard): built with Node 20 from its lock file, then published with the API.
FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS dashboard
WORKDIR /dashboard
COPY src/Dashboard/package.json src/Dashboard/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY src/Dashboard/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0-noble@sha256:e70cdb7f80b0348f5cb85f19a8f670fca061f033d57eed12fa003d58b0e06317 AS build
WORKDIR /src
ENV DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1

# Restore from the project files alone, so this layer is rebuilt only when a dependency changes.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Crosscutting/MetricsEngine.Crosscutting.csproj src/Crosscutting/
COPY src/Core/MetricsEngine.Core.csproj src/Core/
COPY src/Application/MetricsEngine.Application.csproj src/Application/
COPY src/Infrastructure/MetricsEngine.Infrastructure.csproj src/Infrastructure/
COPY src/Web/MetricsEngine.Web.csproj src/Web/
RUN dotnet restore src/Web/MetricsEngine.Web.csproj

COPY src/ src/
COPY --from=dashboard /dashboard/dist/ src/Dashboard/dist/
# The SDK image has no Node: the publish takes the dashboard the stage above built (wwwroot/dashboard).
RUN dotnet publish src/Web/MetricsEngine.Web.csproj -c Release -o /out/app --no-restore -p:UseAppHost=false -p:DashboardBuild=false \
 && dotnet /out/app/MetricsEngine.Web.dll migrate --script --script-output /out/migrations.sql

# The idempotent migration script as a build output of its own (it is applied by the deploy, never
# by the API on start): docker build --target migrations --output type=local,dest=out .
FROM scratch AS migrations
COPY --from=build /out/migrations.sql /migrations.sql

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble@sha256:2d584d8147faddb0d678c5748d47953e5b8e18621ed4fb7049a91381d9d7746f AS runtime
WORKDIR /app
COPY --from=build --chown=root:root /out/app/ ./

# The base image sets ASPNETCORE_HTTP_PORTS=8080 and creates the unprivileged user 'app' ($APP_UID).
# DOTNET_GCgen0size: a 64 MB first-generation budget per GC heap; the default on small instances
# collected ~130 times a second under load and cost a third of the cached-GET throughput (bench/).
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_GCgen0size=0x4000000
EXPOSE 8080
USER $APP_UID

# The image has no curl or wget: bash speaks just enough HTTP/1.1 over /dev/tcp to ask the API's
# liveness endpoint, which answers 200 whenever the process serves requests.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "port=${ASPNETCORE_HTTP_PORTS:-8080}; port=${port%%[,;]*}; exec 3<>/dev/tcp/127.0.0.1/$port || exit 1; printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3; read -r -t 4 _ status _ <&3; [ \"$status\" = 200 ]"]

ENTRYPOINT ["dotnet", "MetricsEngine.Web.dll"]
