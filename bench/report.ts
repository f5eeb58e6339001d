// How benchmark figures are printed: one line each, with the goal and value ÷ goal where a goal exists
// (≥ 1 meets it).

export interface Figure {
  name: string;
  value: string;
  goal: string;
  /** How far the value is from the goal, oriented so that ≥ 1 meets it; undefined for plain figures. */
  ratio: number | undefined;
}

export function ratio(achieved: number, goal: number): number {
  return goal === 0 ? 0 : achieved / goal;
}

export function printFigures(title: string, figures: readonly Figure[]): void {
  console.log(`\n## ${title}`);
  for (const figure of figures) {
    const verdict =
      figure.ratio === undefined
        ? ""
        : ` → ${figure.ratio.toFixed(2)}× of goal ${figure.ratio >= 1 ? "(met)" : "(NOT met)"}`;
    console.log(`- ${figure.name}: ${figure.value}; goal ${figure.goal}${verdict}`);
  }
}
