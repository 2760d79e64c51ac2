// Realistic search queries: the subjects readers of computer-science papers search for. The
// search bench (bench/search.bench.js) runs them; the digest bench (bench/digest.bench.js) draws
// alert topics from them.
export const TOPICS = [
  'language model', 'large language models', 'reinforcement learning', 'graph neural network', 'diffusion model',
  'object detection', 'federated learning', 'image segmentation', 'speech recognition', 'knowledge graph',
  'neural network', 'deep learning', 'machine translation', 'question answering', 'code generation',
  'retrieval augmented generation', 'vision transformer', 'contrastive learning', 'self supervised learning', 'few shot learning',
  'transfer learning', 'domain adaptation', 'anomaly detection', 'time series forecasting', 'recommender system',
  'sentiment analysis', 'named entity recognition', 'text classification', 'image generation', 'video generation',
  'point cloud', '3d reconstruction', 'neural radiance fields', 'gaussian splatting', 'pose estimation',
  'autonomous driving', 'robot manipulation', 'motion planning', 'multi agent systems', 'game theory',
  'differential privacy', 'adversarial attacks', 'adversarial robustness', 'model compression', 'knowledge distillation',
  'quantization', 'pruning', 'mixture of experts', 'attention mechanism', 'state space models',
  'prompt engineering', 'in context learning', 'chain of thought', 'instruction tuning', 'preference optimization',
  'reward model', 'hallucination', 'alignment', 'jailbreak', 'safety',
  'medical imaging', 'drug discovery', 'protein structure', 'climate', 'weather forecasting',
  'quantum computing', 'optimization', 'convex optimization', 'stochastic gradient descent', 'bayesian inference',
  'causal inference', 'explainable ai', 'interpretability', 'fairness', 'bias',
  'speech synthesis', 'music generation', 'audio', 'multimodal', 'vision language model',
  'semantic segmentation', 'image classification', 'super resolution', 'denoising', 'compression',
  'edge computing', 'wireless networks', 'blockchain', 'software engineering', 'program synthesis',
  'formal verification', 'theorem proving', 'mathematical reasoning', 'planning', 'agents',
  'benchmark', 'dataset', 'evaluation', 'survey', 'embedding',
];
