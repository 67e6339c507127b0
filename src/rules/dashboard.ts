import { DATASOURCE, labelVariable, panel, row, type Json } from './grafana.js';
import type { SloParams } from './params.js';
import { sections } from './panels.js';

/**
 * The Grafana dashboard (deploy/grafana/journey-prober.json): provisioning-ready, with a
 * datasource variable and journey / target / step variables.
 */
export function dashboard(params: SloParams): Json {
  const panels: Json[] = [];
  let id = 1;
  let y = 0;
  for (const section of sections(params)) {
    panels.push(row(section.title, id++, y++));
    let x = 0;
    let rowHeight = 0;
    for (const spec of section.panels) {
      const width = spec.width ?? 12;
      if (x + width > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      panels.push(panel(spec, id++, x, y));
      x += width;
      rowHeight = Math.max(rowHeight, spec.height ?? 8);
    }
    y += rowHeight;
  }
  return {
    uid: 'journey-prober',
    title: 'Journey prober: portal customer journeys',
    description: `Synthetic journeys against the portal; SLO ${params.objective * 100} % over ${params.period}.`,
    tags: ['journey-prober', 'slo', 'synthetic'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: true,
    refresh: '1m',
    time: { from: 'now-24h', to: 'now' },
    annotations: {
      list: [
        {
          name: 'Alerts',
          datasource: DATASOURCE,
          enable: true,
          iconColor: 'red',
          expr: `ALERTS{alertstate="firing",location=~"$location",journey=~"$journey"}`,
          titleFormat: '{{alertname}}',
          textFormat: '{{journey}} @ {{target}} {{location}}',
        },
      ],
    },
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
        },
        labelVariable('location', 'Location', 'label_values(synthetic_journey_info, location)'),
        labelVariable(
          'journey',
          'Journey',
          'label_values(synthetic_journey_info{location=~"$location"}, journey)',
        ),
        labelVariable(
          'target',
          'Target',
          'label_values(synthetic_journey_info{location=~"$location",journey=~"$journey"}, target)',
        ),
        labelVariable(
          'step',
          'Step',
          'label_values(synthetic_journey_step_duration_seconds_count{location=~"$location",journey=~"$journey",target=~"$target"}, step)',
        ),
      ],
    },
    panels,
  };
}
