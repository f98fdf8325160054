import type { CatalogTool, ProjectCatalog } from '../catalog/tool-catalog.js';
import type { McpPrincipal } from './gate.js';

/** The tool a principal may call by this name, or undefined (unknown, or outside its toolkits). */
export function toolFor(
  catalog: ProjectCatalog,
  principal: McpPrincipal,
  name: string,
): CatalogTool | undefined {
  const found = catalog.get(name);
  return found && principal.toolkits.includes(found.toolkit.id) ? found : undefined;
}
