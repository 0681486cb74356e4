/**
 * The content-filter severities of a model deployment on Azure AI Content Safety's eight-level scale, where the
 * gateway's `llm-content-safety` check takes its thresholds: text is rated 0–7, and the filter's Low, Medium and High
 * correspond to levels 2–3, 4–5 and 6–7. A filter that blocks from Low blocks from level 2.
 *
 * Source: Learn, "Harm categories in Azure AI Content Safety"
 * (https://learn.microsoft.com/azure/ai-services/content-safety/concepts/harm-categories, Severity levels: "the
 * eight-severity-level output" and how the four-level Safe/Low/Medium/High scale maps onto it).
 */
export const FILTER_SEVERITY_ON_EIGHT_LEVELS = { Low: 2, Medium: 4, High: 6 } as const;

/** A content filter's severity threshold: `Low` is the strictest. */
export type FilterSeverity = keyof typeof FILTER_SEVERITY_ON_EIGHT_LEVELS;
