export { CHART_NAMES, cumulativeCashChartSvg, isChartName, monthlyCostChartSvg, monthlyCostSeries, renderChart, sensitivityTornadoSvg } from "./charts";
export type { ChartName, ChartSize } from "./charts";
export { CHART_TITLES, renderPlanHtml } from "./html";
export type { HtmlReportOptions } from "./html";
export { renderPlanMarkdown } from "./markdown";
export type { MarkdownReportOptions } from "./markdown";
