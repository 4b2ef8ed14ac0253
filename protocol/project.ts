import * as z from 'zod/mini';
import { Id, IsoDate, PersonName, visibleText, wellFormedText } from './common.js';
import { DEFAULT_GREETING, DEFAULT_LAUNCHER_LOOK } from './constants.js';

export const HexColor = z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour like #4f46e5'));
export const WidgetPosition = z.enum(['right', 'left']);
export type WidgetPosition = z.infer<typeof WidgetPosition>;

export const WidgetOptions = z.object({
  color: HexColor,
  position: WidgetPosition,
  greeting: z
    .string()
    .check(
      wellFormedText,
      visibleText('A greeting cannot be only invisible characters; leave it empty for none'),
      z.maxLength(280),
    ),
  zIndex: z.int().check(z.gte(0), z.lte(2147483647)),
});
export type WidgetOptions = z.infer<typeof WidgetOptions>;

export const DEFAULT_WIDGET_OPTIONS: WidgetOptions = {
  ...DEFAULT_LAUNCHER_LOOK,
  greeting: DEFAULT_GREETING,
};

/** A web origin such as `https://shop.example.com` (scheme, host and optional port, nothing else). */
export const WebOrigin = z
  .string()
  .check(
    z.maxLength(255),
    z.regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i, 'Use an origin like https://www.example.com'),
  );

export const ProjectSlug = z
  .string()
  .check(
    z.minLength(2),
    z.maxLength(40),
    z.regex(/^[a-z0-9][a-z0-9-]*$/, 'Use lowercase letters, digits and dashes'),
  );

export const Project = z.object({
  id: Id,
  name: z.string(),
  allowedOrigins: z.array(z.string()),
  widget: WidgetOptions,
  createdAt: IsoDate,
});
export type Project = z.infer<typeof Project>;

export const ProjectName = PersonName(80);

export const CreateProjectRequest = z.object({
  id: z.optional(ProjectSlug),
  name: ProjectName,
  allowedOrigins: z.array(WebOrigin).check(z.maxLength(50)),
  widget: z.optional(z.partial(WidgetOptions)),
});
export type CreateProjectRequest = z.infer<typeof CreateProjectRequest>;

export const UpdateProjectRequest = z.object({
  name: z.optional(ProjectName),
  allowedOrigins: z.optional(z.array(WebOrigin).check(z.maxLength(50))),
  widget: z.optional(z.partial(WidgetOptions)),
});
export type UpdateProjectRequest = z.infer<typeof UpdateProjectRequest>;

export const ProjectList = z.object({ items: z.array(Project) });
export type ProjectList = z.infer<typeof ProjectList>;

/** What the widget learns about its project at session start. */
export const PublicProject = z.object({ id: Id, name: z.string(), widget: WidgetOptions });
export type PublicProject = z.infer<typeof PublicProject>;
