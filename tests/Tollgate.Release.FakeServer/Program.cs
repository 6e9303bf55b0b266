using Tollgate.Release.FakeServer;

return args.Length > 0 && args[0] == "promote"
    ? await PromoteMode.RunAsync(args[1..])
    : await ServerMode.RunAsync(args);
