namespace Tollgate.Data.Contracts;

/// <summary>
/// How a dump is written, from the contract's <c>customProperties: tollgate.format</c>.
/// </summary>
/// <param name="Type"><c>csv</c>, <c>tsv</c> or <c>jsonl</c>. <value>Default csv.</value></param>
/// <param name="Delimiter">Field separator. <value>Default ',' (tab for tsv).</value></param>
/// <param name="Quote">Quote character. <value>Default '"'.</value></param>
/// <param name="Header">Whether the first line names the columns. <value>Default true.</value></param>
/// <param name="Encoding"><c>utf-8</c> or <c>iso-8859-1</c>. <value>Default utf-8.</value></param>
/// <param name="Extension">File name pattern of dumps in the incoming folder. <value>Default *.csv (*.tsv, *.jsonl).</value></param>
public sealed record FileFormat(string Type, char Delimiter, char Quote, bool Header, string Encoding, string Extension)
{
    public static FileFormat Default { get; } = new("csv", ',', '"', true, "utf-8", "*.csv");

    public bool IsJsonLines => Type == "jsonl";

    public bool IsUtf8 => Encoding is "utf-8" or "utf8";
}
