using Tollgate.Gateway.Hosting;

// Usage: Tollgate.Gateway --routes <store>/<model>/routes.json --urls http://127.0.0.1:18080
var app = GatewayApp.Build(args);
await app.RunAsync();
