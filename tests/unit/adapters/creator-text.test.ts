// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { findCreatorDeclaration } from '../../../lib/adapters/creator-text';

describe('findCreatorDeclaration: declarations', () => {
  it.each([
    ['Dragon over the bay #sora', '#sora'],
    ['#Sora2 test render', '#Sora2'],
    ['Morning walk #veo3 #nature', '#veo3'],
    ['Koi pond #kling', '#kling'],
    ['Neon city #AIgenerated', '#AIgenerated'],
    ['Floating islands #aiart', '#aiart'],
    ['Short film #aivideo', '#aivideo'],
    ['Portrait series #midjourney', '#midjourney'],
    ['Test #runwayml gen 4', '#runwayml'],
    ['Cat astronaut #hailuo', '#hailuo'],
    ['Little story #madewithai', '#madewithai'],
    ['Astronaut surfing a comet. Made with Sora 2 ✨', 'Made with Sora 2'],
    ['This clip was generated with AI', 'generated with AI'],
    ['Campaign teaser, created with Kling AI.', 'created with Kling AI'],
    ['Animated using Runway Gen-4', 'Animated using Runway Gen-4'],
    ['Video made by AI for fun', 'made by AI'],
    ['AI-generated', 'AI-generated'],
    ['(AI-generated) 🎬\nNight market in the rain', 'AI-generated'],
    ['This video is AI-generated.', 'This video is AI-generated'],
  ])('%j declares %j', (text, expected) => {
    expect(findCreatorDeclaration(text)).toBe(expected);
  });

  it.each([
    ['这段视频由AI生成。', '由AI生成'],
    ['赛博朋克城市 AI生成', 'AI生成'],
    ['用Sora制作的短片', '用Sora制作'],
    ['夜景 #AI生成 #城市', '#AI生成'],
    ['小猫宇航员 #AI视频', '#AI视频'],
  ])('Chinese %j declares %j', (text, expected) => {
    expect(findCreatorDeclaration(text)).toBe(expected);
  });
});

describe('findCreatorDeclaration: not declarations', () => {
  it.each([
    'Is this AI?',
    'Is this #sora?',
    'Was this made with AI? Looks off to me',
    'not AI, shot on my phone',
    'No AI used, all practical effects',
    'This is NOT made with AI, I painted it by hand.',
    'Real footage from my trip, no AI used #sora',
    'Shot on film #notai',
    'Hand drawn #noai #aiart',
    'Sora is a city in Spain',
    'OpenAI released Sora today',
    'OpenAI released Sora today #sora #openai',
    'Experts warn that videos made with Sora can fool viewers',
    'AI-generated videos are flooding our feeds, here is how to spot them',
    'How to tell if a clip is AI-generated',
    'Fashion week highlights #runway #paris',
    'Golden hour over the river',
    '',
  ])('%j declares nothing', (text) => {
    expect(findCreatorDeclaration(text)).toBeNull();
  });

  it.each([
    '这是AI生成的吗？',
    '这不是AI生成的，是实拍',
    '没有用AI，纯手工拍摄',
    '警惕AI生成的假视频',
    'OpenAI今天发布了Sora',
    '#非AI 实拍 #AI生成',
  ])('Chinese %j declares nothing', (text) => {
    expect(findCreatorDeclaration(text)).toBeNull();
  });

  it('answers null for null and undefined', () => {
    expect(findCreatorDeclaration(null)).toBeNull();
    expect(findCreatorDeclaration(undefined)).toBeNull();
  });
});
