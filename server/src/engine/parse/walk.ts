import type { Nodes, Parents } from 'mdast';

/**
 * A preorder walk of an mdast tree, like unist-util-visit-parents but
 * without its allocations (it copies the ancestor list at every node; a
 * large site has millions of nodes). `ancestors` is one shared stack, valid
 * only during the call: copy it to keep it. Returning 'skip' skips the
 * node's children.
 */
export function walkTree(
  tree: Nodes,
  visit: (node: Nodes, ancestors: readonly Parents[]) => 'skip' | void | undefined,
): void {
  const ancestors: Parents[] = [];
  const step = (node: Nodes): void => {
    if (visit(node, ancestors) === 'skip' || !('children' in node)) return;
    ancestors.push(node);
    const children = node.children as Nodes[];
    for (let i = 0; i < children.length; i++) step(children[i]!);
    ancestors.pop();
  };
  step(tree);
}
