// The model server is built under issue 6; until then starting it fails loudly instead of pretending to serve.
Console.Error.WriteLine("tollgate model server: not implemented yet.");
return 2;
