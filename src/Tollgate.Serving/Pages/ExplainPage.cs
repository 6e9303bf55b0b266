using System.Globalization;
using System.Net;
using System.Text;
using Tollgate.Serving.Contracts;
using Tollgate.Serving.Hosting;
using Tollgate.Serving.Scoring;

namespace Tollgate.Serving.Pages;

/// <summary>
/// <c>GET /explain</c>: one self-contained HTML page (no outside scripts or fonts) with a form for a row and a
/// force-style chart of <c>POST /v1/explain</c>'s answer: from the base value, each feature pushes the raw score up
/// (red) or down (blue), largest first, ending at the row's raw score.
/// </summary>
public static class ExplainPage
{
    public static string Render(IScoringModel model, ServingContract contract)
    {
        var defaults = Readiness.WarmUpRow(model.Schema, contract);
        var fields = new StringBuilder();
        foreach (var name in model.Schema.Numeric)
        {
            var field = contract.Fields[name];
            var value = defaults.Numeric[name].ToString(CultureInfo.InvariantCulture);
            fields.Append(CultureInfo.InvariantCulture, $"<label>{Html(name)}<input type=\"number\" name=\"{Html(name)}\" value=\"{value}\" step=\"{(field.IsInteger ? "1" : "any")}\"");
            if (field.Minimum is { } min)
            {
                fields.Append(CultureInfo.InvariantCulture, $" min=\"{min}\"");
            }

            if (field.Maximum is { } max)
            {
                fields.Append(CultureInfo.InvariantCulture, $" max=\"{max}\"");
            }

            fields.Append(" data-kind=\"number\"></label>\n");
        }

        foreach (var name in model.Schema.Categorical)
        {
            var field = contract.Fields[name];
            if (field.ValidValues is { Count: > 0 } domain)
            {
                fields.Append(CultureInfo.InvariantCulture, $"<label>{Html(name)}<select name=\"{Html(name)}\" data-kind=\"string\">");
                foreach (var option in domain.Order(StringComparer.Ordinal))
                {
                    fields.Append(CultureInfo.InvariantCulture, $"<option{(option == defaults.Categorical[name] ? " selected" : string.Empty)}>{Html(option)}</option>");
                }

                fields.Append("</select></label>\n");
            }
            else
            {
                fields.Append(CultureInfo.InvariantCulture, $"<label>{Html(name)}<input name=\"{Html(name)}\" value=\"{Html(defaults.Categorical[name])}\" data-kind=\"string\"></label>\n");
            }
        }

        var info = model.Info;
        return Template
            .Replace("{{TITLE}}", Html($"{info.Name} {info.Version}"), StringComparison.Ordinal)
            .Replace("{{THRESHOLD}}", info.Threshold is { } t ? t.ToString("0.###", CultureInfo.InvariantCulture) : "n/a", StringComparison.Ordinal)
            .Replace("{{FIELDS}}", fields.ToString(), StringComparison.Ordinal);
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private const string Template =
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Explain {{TITLE}}</title>
        <style>
        body{font:14px system-ui,sans-serif;margin:1.5em;color:#222;max-width:1100px}
        form{display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:.5em 1em;margin-bottom:1em}
        label{display:flex;flex-direction:column;font-weight:600}input,select{font:inherit;padding:.2em}
        button{grid-column:1/-1;justify-self:start;padding:.4em 1.2em;font:inherit}
        #result{margin-top:1em}.err{color:#b00020;white-space:pre-wrap}.up{fill:#d62728}.down{fill:#1f77b4}
        text{font:12px system-ui,sans-serif}
        </style></head><body>
        <h1>Why this score? <small>{{TITLE}}</small></h1>
        <p>Enter a row and explain it. Bars show each feature's contribution to the raw score (margin), from the base value to the
        row's raw score; red pushes towards the positive class, blue away from it. Label threshold on the probability: {{THRESHOLD}}.</p>
        <form id="row">
        {{FIELDS}}
        <button type="submit">Explain</button>
        </form>
        <div id="result"></div>
        <script>
        const form = document.getElementById('row'), out = document.getElementById('result');
        form.addEventListener('submit', async e => {
          e.preventDefault();
          const row = {};
          for (const el of form.querySelectorAll('[name]')) row[el.name] = el.dataset.kind === 'number' ? Number(el.value) : el.value;
          const res = await fetch('/v1/explain', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(row)});
          const body = await res.json();
          if (!res.ok) { out.innerHTML = ''; const p = document.createElement('p'); p.className = 'err';
            p.textContent = body.error + '\n' + (body.errors || []).map(x => x.field + ': ' + x.message).join('\n'); out.appendChild(p); return; }
          draw(body);
        });
        function draw(b) {
          const c = b.contributions, rowH = 22, left = 230, width = 800, top = 40;
          let pos = b.baseValue, lo = pos, hi = pos;
          const steps = c.map(x => { const s = {f: x.feature, v: x.value, from: pos, to: pos + x.contribution, d: x.contribution}; pos += x.contribution; lo = Math.min(lo, pos); hi = Math.max(hi, pos); return s; });
          const pad = (hi - lo) * 0.05 || 1, x = v => left + (v - lo + pad) / (hi - lo + 2 * pad) * (width - left - 20);
          const h = top + rowH * (steps.length + 1) + 20, ns = 'http://www.w3.org/2000/svg';
          const svg = document.createElementNS(ns, 'svg'); svg.setAttribute('width', width); svg.setAttribute('height', h);
          const add = (tag, attrs, text) => { const el = document.createElementNS(ns, tag); for (const k in attrs) el.setAttribute(k, attrs[k]); if (text !== undefined) el.textContent = text; svg.appendChild(el); return el; };
          add('text', {x: 0, y: 16}, `score ${b.score.toFixed(4)}` + (b.label === undefined ? '' : ` → label ${b.label}`) + ` · raw ${b.rawScore.toFixed(3)} · base ${b.baseValue.toFixed(3)}`);
          add('line', {x1: x(b.baseValue), x2: x(b.baseValue), y1: top - 6, y2: h - 10, stroke: '#999', 'stroke-dasharray': '3 3'});
          add('line', {x1: x(b.rawScore), x2: x(b.rawScore), y1: top - 6, y2: h - 10, stroke: '#222'});
          steps.forEach((s, i) => {
            const y = top + i * rowH, a = x(Math.min(s.from, s.to)), w = Math.max(1, Math.abs(x(s.to) - x(s.from)));
            add('text', {x: left - 8, y: y + 15, 'text-anchor': 'end'}, `${s.f} = ${s.v}`);
            add('rect', {x: a, y: y + 3, width: w, height: rowH - 6, class: s.d >= 0 ? 'up' : 'down'});
            add('text', {x: a + w + 4, y: y + 15}, (s.d >= 0 ? '+' : '') + s.d.toFixed(3));
          });
          out.innerHTML = ''; out.appendChild(svg);
        }
        </script>
        </body></html>
        """;
}
