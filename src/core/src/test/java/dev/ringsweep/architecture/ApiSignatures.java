package dev.ringsweep.architecture;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Walks every type that appears in the public signatures of a set of classes — supertypes, public and protected
 * fields, constructors, methods (parameters, return types, exceptions), with their generic arguments and bounds,
 * and public nested types — and reports those a predicate forbids, one line per use. The other modules' API tests
 * use it too.
 */
public final class ApiSignatures {

  private ApiSignatures() {}

  /** One line per forbidden type in a public signature of {@code classes}: {@code where: type}. */
  public static List<String> violations(Collection<Class<?>> classes, Predicate<Class<?>> forbidden) {
    List<String> out = new ArrayList<>();
    for (Class<?> c : classes) {
      if (!isVisible(c)) {
        continue;
      }
      check(c.getName() + " extends", c.getGenericSuperclass(), forbidden, out);
      for (Type i : c.getGenericInterfaces()) {
        check(c.getName() + " implements", i, forbidden, out);
      }
      for (Field f : c.getDeclaredFields()) {
        if (isVisible(f.getModifiers()) && !f.isSynthetic()) {
          check(c.getName() + "." + f.getName(), f.getGenericType(), forbidden, out);
        }
      }
      for (Constructor<?> k : c.getDeclaredConstructors()) {
        if (isVisible(k.getModifiers()) && !k.isSynthetic()) {
          String where = c.getName() + ".<init>";
          for (Type p : k.getGenericParameterTypes()) {
            check(where, p, forbidden, out);
          }
          for (Type e : k.getGenericExceptionTypes()) {
            check(where + " throws", e, forbidden, out);
          }
        }
      }
      for (Method m : c.getDeclaredMethods()) {
        if (isVisible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
          String where = c.getName() + "." + m.getName() + "()";
          check(where, m.getGenericReturnType(), forbidden, out);
          for (Type p : m.getGenericParameterTypes()) {
            check(where, p, forbidden, out);
          }
          for (Type e : m.getGenericExceptionTypes()) {
            check(where + " throws", e, forbidden, out);
          }
          for (TypeVariable<Method> v : m.getTypeParameters()) {
            for (Type b : v.getBounds()) {
              check(where, b, forbidden, out);
            }
          }
        }
      }
    }
    return out;
  }

  private static boolean isVisible(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
      if (!Modifier.isPublic(k.getModifiers()) && !Modifier.isProtected(k.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void check(String where, Type type, Predicate<Class<?>> forbidden, List<String> out) {
    if (type == null) {
      return;
    }
    Set<Class<?>> raw = new LinkedHashSet<>();
    collect(type, raw, new LinkedHashSet<>());
    for (Class<?> c : raw) {
      if (forbidden.test(c)) {
        out.add(where + ": " + c.getName());
      }
    }
  }

  private static void collect(Type type, Set<Class<?>> out, Set<Type> seen) {
    if (!seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      out.add(c.isArray() ? c.getComponentType() : c);
    } else if (type instanceof ParameterizedType p) {
      collect(p.getRawType(), out, seen);
      for (Type a : p.getActualTypeArguments()) {
        collect(a, out, seen);
      }
    } else if (type instanceof GenericArrayType g) {
      collect(g.getGenericComponentType(), out, seen);
    } else if (type instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        collect(b, out, seen);
      }
      for (Type b : w.getLowerBounds()) {
        collect(b, out, seen);
      }
    } else if (type instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        collect(b, out, seen);
      }
    }
  }
}
