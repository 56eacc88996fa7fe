/**
 * Visible marks that video generators burn into their output, and a matcher that decides whether one OCR line *is*
 * such a mark. The matcher is tolerant to OCR errors (width and case folding, look-alike characters, a small edit
 * distance) but strict about context: the mark must be nearly all of the line, so a caption or news chyron that
 * mentions a generator ("OpenAI unveils Sora video model") never matches.
 */

/** One generator and the texts its visible watermark shows. */
export interface GeneratorMark {
  /** Name used in signals and reasons ("a Sora watermark is visible"). */
  generator: string;
  /** What the mark reads, in any case or width; spaces and punctuation are ignored when matching. */
  patterns: readonly string[];
  /** The mark jumps between positions during the clip (Sora 2), so it is not expected at a fixed place. */
  moving?: boolean;
}

/**
 * Known marks. Short Latin names (Veo, Vidu, Pika, Luma) get no fuzziness beyond look-alike characters (see
 * {@link allowedDistance}); generic words were left out where the brand itself is a common word.
 */
export const GENERATOR_MARKS: readonly GeneratorMark[] = [
  // Sora 2: the cloud logo, "Sora" and the creator's "@handle" below it, hopping between edge positions.
  { generator: 'Sora', patterns: ['Sora', 'OpenAI Sora'], moving: true },
  { generator: 'Veo', patterns: ['Veo', 'Veo 3', 'Google Veo', 'Made with Veo'] },
  { generator: 'Kling', patterns: ['KlingAI', 'Kling', '可灵AI', '可灵'] },
  { generator: 'Hailuo', patterns: ['Hailuo AI', 'Hailuo', '海螺AI', '海螺视频', 'MiniMax Hailuo'] },
  { generator: 'Vidu', patterns: ['Vidu', 'Vidu AI'] },
  { generator: 'Jimeng', patterns: ['即梦AI', '即梦', 'Jimeng', 'Dreamina'] },
  { generator: 'Doubao', patterns: ['豆包AI生成', '豆包'] },
  { generator: 'Runway', patterns: ['Runway', 'RunwayML', 'Runway Gen-3', 'Made with Runway'] },
  { generator: 'Pika', patterns: ['Pika', 'Pika Labs', 'pika.art'] },
  { generator: 'Luma Dream Machine', patterns: ['Luma AI', 'Dream Machine', 'Luma Dream Machine', 'Luma'] },
  { generator: 'Meta AI', patterns: ['Imagined with AI', 'Meta AI', 'Made with Meta AI'] },
  { generator: 'PixVerse', patterns: ['PixVerse'] },
  { generator: 'Haiper', patterns: ['Haiper', 'Haiper AI'] },
  { generator: 'Tongyi Wanxiang', patterns: ['通义万相', 'Wanxiang'] },
  { generator: 'Qingying', patterns: ['清影', '智谱清影', '智谱清言'] },
  { generator: 'Hunyuan', patterns: ['腾讯混元', '混元AI', 'Hunyuan'] },
  { generator: 'Viggle', patterns: ['Viggle', 'Viggle AI', 'viggle.ai'] },
  { generator: 'Higgsfield', patterns: ['Higgsfield', 'Higgsfield AI'] },
  { generator: 'Grok Imagine', patterns: ['Grok Imagine'] },
  { generator: 'Invideo AI', patterns: ['invideo AI', 'invideo.io'] },
  // Research demo clips (showlab/Show-1) carry their model's name in a corner.
  { generator: 'Show-1', patterns: ['Show-1'] },
  // China's labelling rules (2025) make every generator stamp "AI生成"; alone it names no product.
  { generator: 'unnamed generator ("AI生成")', patterns: ['AI生成', '由AI生成', 'AI生成内容'] },
];

/**
 * Characters OCR swaps for one another on small, low-contrast overlays. A swap inside a group costs a quarter of an
 * edit, so "KLING Al" still reads as "klingai" while "Sofa" is a full edit away from "Sora".
 */
const CONFUSABLE_GROUPS = ['il1j', 'o0', 's5', 'z2', 'b8', 'g9'];
const CONFUSABLE = new Map<string, number>();
CONFUSABLE_GROUPS.forEach((group, i) => [...group].forEach((c) => CONFUSABLE.set(c, i)));
const CONFUSABLE_COST = 0.25;

/** Words a mark may carry next to its name without diluting it: model versions and tiers ("KlingAI 2.0 Master"). */
const DECORATIONS = ['master', 'turbo', 'ultra', 'plus', 'beta', 'lite', 'pro', 'std', 'fast', 'hd', 'ai'];

/**
 * The form marks are compared in: Unicode compatibility folding (full-width "ＳＯＲＡ" and circled digits become
 * plain), lower case, and nothing but letters and digits; "@handle" words are dropped first, because Sora prints
 * the creator's handle next to its name and OCR often reads both as one line.
 */
export function normaliseMarkText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => !word.startsWith('@'))
    .join('')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

function substitutionCost(a: string, b: string): number {
  if (a === b) return 0;
  const ga = CONFUSABLE.get(a);
  return ga !== undefined && ga === CONFUSABLE.get(b) ? CONFUSABLE_COST : 1;
}

/**
 * Best approximate occurrence of `pattern` in `text` (semi-global edit distance: the whole pattern against any
 * substring), with the substring's span.
 */
export function bestOccurrence(pattern: string, text: string): { distance: number; start: number; end: number } {
  const p = [...pattern];
  const t = [...text];
  const m = p.length;
  const n = t.length;
  // cost[j] / start[j]: the cheapest alignment of p[0..i) ending at t[j], and where in t it began.
  let cost = new Float64Array(n + 1);
  let start = Int32Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const nextCost = new Float64Array(n + 1);
    const nextStart = new Int32Array(n + 1);
    nextCost[0] = i;
    nextStart[0] = 0;
    for (let j = 1; j <= n; j++) {
      const sub = cost[j - 1]! + substitutionCost(p[i - 1]!, t[j - 1]!);
      const del = cost[j]! + 1; // pattern character missing from the text
      const ins = nextCost[j - 1]! + 1; // extra character in the text
      if (sub <= del && sub <= ins) {
        nextCost[j] = sub;
        nextStart[j] = start[j - 1]!;
      } else if (del <= ins) {
        nextCost[j] = del;
        nextStart[j] = start[j]!;
      } else {
        nextCost[j] = ins;
        nextStart[j] = nextStart[j - 1]!;
      }
    }
    cost = nextCost;
    start = nextStart;
  }
  let best = { distance: m, start: 0, end: 0 };
  for (let j = 0; j <= n; j++) {
    if (cost[j]! < best.distance) best = { distance: cost[j]!, start: start[j]!, end: j };
  }
  return best;
}

/**
 * Edits a pattern of `length` characters may be away from what OCR read: none but look-alikes up to 4 characters
 * (three- and four-letter names are too easy to hit by chance), one up to 7, then about one in five.
 */
export function allowedDistance(length: number): number {
  if (length <= 4) return 0.5;
  if (length <= 7) return 1.25;
  return Math.max(1.5, length / 5);
}

/** What is left of a line once the mark, digits, versions and tier words are taken out. */
function leftover(text: string, start: number, end: number): string {
  const chars = [...text];
  let rest = [...chars.slice(0, start), ...chars.slice(end)].join('').replace(/\p{N}/gu, '');
  for (const word of DECORATIONS) rest = rest.split(word).join('');
  return rest;
}

/**
 * True when a line could sit next to a mark without being prose: empty of letters once digits are gone (a logo OCR
 * read as "00"), a version or tier word ("Master", "2.0"), or an "@handle".
 */
export function isMarkDecoration(text: string): boolean {
  if (text.trim().startsWith('@')) return true;
  const rest = normaliseMarkText(text).replace(/\p{N}/gu, '');
  return rest.length <= 1 || DECORATIONS.includes(rest);
}

/** A line that reads as a generator's mark. */
export interface MarkMatch {
  generator: string;
  pattern: string;
  /** Weighted edit distance between the pattern and the text it matched. */
  distance: number;
  /** 1 − distance / pattern length. */
  similarity: number;
  moving: boolean;
}

/**
 * The generator whose mark `text` is, or null. A pattern matches when its best occurrence in the normalised line is
 * within {@link allowedDistance}, and the rest of the line, after removing digits, versions and tier words, is at most
 * one character (a logo glyph OCR read as a letter): the mark must be the line's content, not a word in a sentence.
 * Among several matching patterns the most similar wins, then the longest.
 */
export function matchGeneratorMark(text: string, marks: readonly GeneratorMark[] = GENERATOR_MARKS): MarkMatch | null {
  const line = normaliseMarkText(text);
  if (!line) return null;
  let best: MarkMatch | null = null;
  for (const mark of marks) {
    for (const raw of mark.patterns) {
      const pattern = normaliseMarkText(raw);
      const length = [...pattern].length;
      const occurrence = bestOccurrence(pattern, line);
      if (occurrence.distance > allowedDistance(length)) continue;
      if ([...leftover(line, occurrence.start, occurrence.end)].length > 1) continue;
      const similarity = 1 - occurrence.distance / length;
      if (
        !best ||
        similarity > best.similarity ||
        (similarity === best.similarity && length > [...normaliseMarkText(best.pattern)].length)
      ) {
        best = {
          generator: mark.generator,
          pattern: raw,
          distance: occurrence.distance,
          similarity,
          moving: !!mark.moving,
        };
      }
    }
  }
  return best;
}
