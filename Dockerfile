# syntax=docker/dockerfile:1
#
# Hyperspot.NET server image.
#
#   docker build -t hyperspot-server .
#   docker run --rm -p 8087:8087 \
#     -v "$PWD/config/with-tracing.yaml:/etc/hyperspot/config.yaml:ro" hyperspot-server

# --- project files only, so the restore layer is cached until a *.csproj changes ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY src/ src/
RUN find src -type f ! -name '*.csproj' ! -name 'Directory.*.props' ! -name 'Directory.*.targets' -delete \
 && find src -type d -empty -delete

# --- restore, then build and publish ---
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.*.props Hyperspot.sln ./
COPY --from=projects /src/src/ src/
RUN dotnet restore src/Hyperspot.Server/Hyperspot.Server.csproj
COPY src/ src/
RUN dotnet publish src/Hyperspot.Server -c Release -o /app --no-restore -p:UseAppHost=false

# --- runtime ---
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# Home directory for runtime state and the conventional config location.
RUN mkdir -p /var/lib/hyperspot /etc/hyperspot \
 && chown "$APP_UID" /var/lib/hyperspot

COPY --from=build /app ./

# The aspnet image sets ASPNETCORE_HTTP_PORTS=8080; align the fallback with the
# server's port. Explicit server.host/server.port settings take precedence.
ENV ASPNETCORE_HTTP_PORTS=8087

# Non-root user provided by the aspnet base image.
USER $APP_UID

EXPOSE 8087
VOLUME ["/var/lib/hyperspot"]

ENTRYPOINT ["dotnet", "Hyperspot.Server.dll"]
CMD ["--config", "/etc/hyperspot/config.yaml"]
